"use strict";
exports.id = 832;
exports.ids = [832];
exports.modules = {

/***/ 7832:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ServiceAccountAuthenticator: () => (/* binding */ ServiceAccountAuthenticator)
});

// UNUSED EXPORTS: CLOSE_TIMEOUT_MS, MAX_FORCED_RENEWALS, MIN_RENEWAL_INTERVAL_MS, renewalMarginMs

// EXTERNAL MODULE: ./src/common/constants.ts
var constants = __webpack_require__(8952);
// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __webpack_require__(1922);
// EXTERNAL MODULE: ./src/common/redact.ts
var redact = __webpack_require__(6800);
// EXTERNAL MODULE: ./src/common/text.ts
var common_text = __webpack_require__(2450);
// EXTERNAL MODULE: ./src/http/node-http.ts
var node_http = __webpack_require__(7607);
// EXTERNAL MODULE: ./src/http/retry-after.ts
var retry_after = __webpack_require__(7821);
;// CONCATENATED MODULE: ./src/auth/token-answer.ts




/** Atlas documents 1 h tokens; used only when the answer gives no usable expires_in. */
const DEFAULT_EXPIRES_IN_S = 3600;
/**
 * An access token is sent in every read's Authorization header: it must be something a header
 * can carry (visible ASCII, no spaces), long enough to be a secret and short enough to send.
 * Atlas's tokens are a few hundred characters.
 */
const MIN_TOKEN_LENGTH = 16;
const MAX_TOKEN_LENGTH = 16_384;
const HEADER_SAFE = /^[\x21-\x7e]+$/;
/**
 * The token endpoint answered 200, but not with a token this action can use. `issued` is the
 * token it did hand out, when there was one worth revoking: the caller revokes it.
 */
class UnusableTokenError extends errors/* ResponseFormatError */.TT {
    issued;
    constructor(message, issued) {
        super(message);
        this.issued = issued;
        this.name = 'UnusableTokenError';
    }
}
const ROTATE_HINT = 'The client ID or secret is wrong, or the secret has expired: create a new secret under Organization Access Manager \u2192 Service Accounts in Atlas and update the client-secret secret.';
async function readTokenAnswer(response, context) {
    if (response.status !== 200)
        throw tokenError(response, await response.text(), context);
    // The raw body, only to take the token out of it; every message below uses redacted text.
    const raw = response.rawText ? await response.rawText() : await response.text();
    const what = `The Atlas token endpoint (${context.tokenUrl}) answered HTTP 200 with`;
    const where = 'A proxy, captive portal or wrong base-url may be answering instead of Atlas.';
    let body;
    try {
        body = JSON.parse(raw);
    }
    catch {
        // Not quoted: a body we cannot parse may still hold a token.
        const type = response.headers.get('content-type');
        const kind = type ? (0,common_text/* oneLine */.TN)(type, 60) : 'no content type';
        throw new errors/* ResponseFormatError */.TT(`${what} something that is not JSON (${kind}, ${raw.length} characters). ${where}`);
    }
    const record = (typeof body === 'object' && body !== null ? body : {});
    const { access_token: value, token_type: type, expires_in: expiresIn } = record;
    if (typeof value !== 'string' || value === '') {
        const fields = Object.keys(record)
            .slice(0, 10)
            .map(key => (0,common_text/* quote */.hD)((0,common_text/* oneLine */.TN)(key, 40)));
        throw new errors/* ResponseFormatError */.TT(`${what} JSON without an access_token (fields: ${fields.join(', ') || 'none'}). ${where}`);
    }
    // Revocable: anything a form can carry, at a size worth sending (the caller revokes it on refusal).
    const issued = value.length <= MAX_TOKEN_LENGTH ? value : undefined;
    const legal = value.length >= MIN_TOKEN_LENGTH && value.length <= MAX_TOKEN_LENGTH && HEADER_SAFE.test(value);
    // Hidden from every message whatever it is; handed to the runner's masking only when it is a
    // real token (a one-letter "token" would mask every "e" in the log).
    if (value.length >= redact/* MIN_SECRET_FORM */.L6)
        (0,redact/* registerSecret */.cl)(value);
    if (legal)
        context.mask(value);
    if (!legal) {
        throw new UnusableTokenError(`${what} an access_token that cannot be sent in an HTTP header: ${describeToken(value)}; a token is ${MIN_TOKEN_LENGTH} to ${MAX_TOKEN_LENGTH} visible ASCII characters. ${where} Nothing was sent with it, and it was not retried.`, issued);
    }
    // Compared as it came: "Bearer\r\n" is not "Bearer".
    if (typeof type !== 'string' || type.toLowerCase() !== 'bearer') {
        const got = typeof type === 'string' ? (0,common_text/* quote */.hD)(type, 40) : 'none';
        throw new UnusableTokenError(`${what} a token of type ${got}; this action only knows Bearer tokens. ${where}`, issued);
    }
    const seconds = Number(expiresIn);
    return { value, expiresInS: Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_EXPIRES_IN_S };
}
/** What is wrong with a token, without showing any of it. */
function describeToken(value) {
    if (value.length < MIN_TOKEN_LENGTH || value.length > MAX_TOKEN_LENGTH)
        return `it is ${value.length} ${value.length === 1 ? 'character' : 'characters'} long`;
    if (/[\r\n]/.test(value))
        return 'it holds a line break';
    if (/[ \t]/.test(value))
        return 'it holds white space';
    if ([...value].some(ch => (ch.codePointAt(0) ?? 0) > 0xff))
        return 'it holds characters outside Latin-1';
    return 'it holds control or non-ASCII characters';
}
/** 429, 5xx: transient (the read loop retries the whole read); anything else: stop, saying why. */
function tokenError(response, text, context) {
    const { status } = response;
    const { code, detail } = errorFields(text, response.headers.get('x-error-code'));
    const said = (0,common_text/* endSentence */.H_)(`The Atlas token endpoint answered ${describe(status, code, detail)}`);
    if (status === 429) {
        return new errors/* TransientError */.N_(`${said} It allows about 50 token requests a minute per IP address and service account.`, (0,retry_after/* retryAfterMs */.V)(response.headers.get('retry-after'), context.now()), true);
    }
    if (status >= 500)
        return new errors/* TransientError */.N_(said);
    const fail = (hint) => new errors/* AtlasApiError */.y1(`${said} ${hint}`, status, code);
    if (status >= 300 && status < 400) {
        return fail('The action does not follow redirects, so that the client secret is only ever sent to base-url. Check base-url: its host must be the Atlas host itself (https://cloud.mongodb.com, or https://cloud.mongodbgov.com for Atlas for Government).');
    }
    if (status === 401 || code === 'invalid_client')
        return fail(ROTATE_HINT);
    if (status === 403 && (code === 'access_denied' || /limit/i.test(detail ?? ''))) {
        return fail(`Service account ${context.clientId} already holds 100 active access tokens, the most Atlas allows. This action revokes its token at the end of every run, so other tools, or runs killed before they could revoke, hold them: wait for them to expire (1 h after they were issued) or revoke them from the tools that hold them.`);
    }
    if (status === 400) {
        return fail('This action asks for a token exactly as Atlas documents (grant_type=client_credentials), so something between the runner and Atlas, such as a proxy, may have changed the request.');
    }
    return fail(`Atlas did not issue an access token to service account ${context.clientId}; this is not a transient error, so it was not retried.`);
}
/** "HTTP 401 (invalid_client): "Invalid credentials provided."", from any OAuth or Atlas error answer. */
function describeAnswer(status, text, headers) {
    const { code, detail } = errorFields(text, headers.get('x-error-code'));
    return describe(status, code, detail);
}
/** quote() and oneLine() redact the run's credentials before they shorten anything. */
function describe(status, code, detail) {
    const said = detail ? `: ${(0,common_text/* quote */.hD)((0,common_text/* oneLine */.TN)(detail, 300))}` : '';
    return `HTTP ${status}${code ? ` (${(0,common_text/* oneLine */.TN)(code, 80)})` : ''}${said}`;
}
/** The code and description of an OAuth error ({error, error_description}) or an Atlas one ({errorCode, detail}). */
function errorFields(text, header) {
    let body = {};
    try {
        const parsed = (0,redact/* parseNetworkJson */.w1)(text);
        if (typeof parsed === 'object' && parsed !== null)
            body = parsed;
    }
    catch {
        // Not JSON (an HTML error page from a proxy): only the status and header speak.
    }
    const nonEmpty = (value) => typeof value === 'string' && value !== '' ? value : undefined;
    return {
        code: nonEmpty(body.error) ?? nonEmpty(body.errorCode) ?? nonEmpty(header),
        detail: nonEmpty(body.error_description) ?? nonEmpty(body.detail) ?? nonEmpty(body.reason)
    };
}

;// CONCATENATED MODULE: ./src/auth/service-account.ts






const FORM = 'application/x-www-form-urlencoded';
const WARNING_TITLE = 'Atlas service account';
/** How long close() waits for the revokes, whatever they do: a fixed limit, not request-timeout-seconds. */
const CLOSE_TIMEOUT_MS = 2_000;
/**
 * Scheduled renewals come at most this often, whatever expires_in says (`expires_in: 0.001`
 * must not start a storm of token requests); a shorter-lived token is renewed on its 401.
 */
const MIN_RENEWAL_INTERVAL_MS = 5_000;
/**
 * Renewals forced by a 401 in one run. Atlas allows about 100 active tokens per service
 * account; a token endpoint whose tokens the API keeps refusing must not use them up.
 */
const MAX_FORCED_RENEWALS = 10;
/**
 * How early a token is replaced: a minute before it expires (a 1 h token serves 59 min), or a
 * tenth of its life when it is shorter than 10 min, so that a short-lived token is still used
 * for most of its life: a wait costs one token request per token lifetime.
 */
function renewalMarginMs(expiresInMs) {
    return Math.min(60_000, expiresInMs / 10);
}
/**
 * A service account: OAuth 2.0 client credentials, then `Authorization: Bearer` on every read.
 * One token at a time, fetched on the first send(), masked on arrival, shared by concurrent
 * callers, renewed before it expires (at most once per 5 s), replaced when a read is refused
 * with 401 (once per refused token, at most 10 times a run). Every token no longer used is
 * revoked: a replaced one at once, the last by close(). A request made with a token goes
 * through `send` like any other, so retries (429, 5xx, network) of the token request happen in
 * the caller's retry loop, within max-retries and the deadline.
 */
class ServiceAccountAuthenticator {
    options;
    kind = 'service-account';
    publicId;
    closeNote;
    basic;
    tokenUrl;
    revokeUrl;
    token;
    pending;
    forcedRenewals = 0;
    /** One per token revoked, resolving to what went wrong (undefined when it was revoked). */
    revokes = [];
    closed = false;
    constructor(options) {
        this.options = options;
        this.publicId = options.clientId;
        // From the raw strings, as Atlas expects (not form-encoded first, as RFC 6749 would have it).
        const credentials = Buffer.from(`${options.clientId}:${options.clientSecret}`, 'utf8').toString('base64');
        (0,redact/* registerSecret */.cl)(options.clientSecret);
        (0,redact/* registerSecret */.cl)(credentials);
        options.mask(credentials);
        this.basic = `Basic ${credentials}`;
        const origin = new URL(options.origin).origin;
        this.tokenUrl = `${origin}/api/oauth/token`;
        this.revokeUrl = `${origin}/api/oauth/revoke`;
    }
    async send(url, init) {
        if (this.closed)
            throw new Error('The service account session was closed before this request.');
        const used = await this.currentToken();
        const first = await this.sendWith(used, url, init);
        if (first.status !== 401)
            return first;
        // Revoked, expired early, or lost by Atlas: one new token, one more try. When several
        // requests were refused the same token, only the first renews it; the others use the new one.
        if (!used.retired) {
            this.retire(used);
            this.forcedRenewals += 1;
            if (this.forcedRenewals > MAX_FORCED_RENEWALS)
                throw this.tooManyRefusals();
            this.options.log.debug('Atlas refused the access token (HTTP 401); getting a new one and repeating the request once.');
        }
        // A 401 to the new token too is handed back: the caller says the credentials are wrong.
        return this.sendWith(await this.currentToken(), url, init);
    }
    async close(abandon) {
        if (this.closed)
            return;
        this.closed = true;
        const work = (async () => {
            await this.pending?.catch(() => undefined);
            if (this.token)
                this.retire(this.token);
            return Promise.all(this.revokes);
        })();
        const limitMs = this.options.closeTimeoutMs ?? CLOSE_TIMEOUT_MS;
        let timer;
        let onAbandon;
        const outcome = await Promise.race([
            work,
            new Promise(resolve => {
                timer = setTimeout(() => resolve('timeout'), limitMs);
                timer.unref();
            }),
            new Promise(resolve => {
                onAbandon = () => resolve('abandoned');
                if (abandon?.aborted)
                    onAbandon();
                else
                    abandon?.addEventListener('abort', onAbandon, { once: true });
            })
        ]);
        clearTimeout(timer);
        if (onAbandon)
            abandon?.removeEventListener('abort', onAbandon);
        const total = this.revokes.length;
        const tokens = total === 1 ? "this run's access token" : `this run's ${total} access tokens`;
        const until = "expires by itself within the hour, and until then counts towards the service account's 100 active tokens";
        if (outcome === 'abandoned') {
            this.closeNote = `The job was cancelled a second time while ${tokens} ${total === 1 ? 'was' : 'were'} being revoked, so the revoke was abandoned: ${total === 1 ? 'it' : 'each'} ${until}.`;
        }
        else if (outcome === 'timeout') {
            this.closeNote = `Revoking ${tokens} took more than ${(0,common_text/* seconds */.YA)(limitMs)} (a fixed limit), so the step went on without waiting: a token not revoked ${until}.`;
        }
        else {
            const problems = outcome.filter((problem) => problem !== undefined);
            if (problems.length === 0)
                return;
            const which = total === 1 ? tokens : `${problems.length} of ${tokens}`;
            this.closeNote = `Could not revoke ${which} (${problems[0]}${problems.length > 1 ? `; and ${problems.length - 1} more` : ''}): a token not revoked ${until}.`;
        }
        this.options.log.warning(this.closeNote, WARNING_TITLE);
    }
    sendWith(token, url, init) {
        return this.options.send(url, {
            ...init,
            headers: { ...(0,node_http/* headerRecord */.jP)(init.headers), Authorization: `Bearer ${token.value}` }
        });
    }
    /** The token in hand while it is fresh; otherwise one token request, shared by concurrent callers. */
    async currentToken() {
        if (this.token && !this.token.retired && this.options.now() < this.token.renewAt)
            return this.token;
        this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
        return this.pending;
    }
    async fetchToken() {
        const requestedAt = this.options.now();
        const response = await this.options.send(this.tokenUrl, {
            method: 'POST',
            headers: this.formHeaders(),
            body: 'grant_type=client_credentials'
        });
        let answer;
        try {
            answer = await readTokenAnswer(response, {
                tokenUrl: this.tokenUrl,
                clientId: this.publicId,
                mask: this.options.mask,
                now: this.options.now
            });
        }
        catch (error) {
            // A token of the wrong type (or one that cannot be sent) was still issued: revoke it.
            if (error instanceof UnusableTokenError && error.issued !== undefined)
                this.revokes.push(this.revoke(error.issued));
            throw error;
        }
        const lifetimeMs = answer.expiresInS * 1000;
        const marginMs = renewalMarginMs(lifetimeMs);
        const usedForMs = Math.max(lifetimeMs - marginMs, MIN_RENEWAL_INTERVAL_MS);
        const replaced = this.token;
        this.token = { value: answer.value, renewAt: requestedAt + usedForMs, retired: false };
        if (replaced)
            this.retire(replaced);
        this.options.log.debug(`Got an access token for service account ${this.publicId}, valid for ${(0,common_text/* seconds */.YA)(lifetimeMs)}; it will be replaced after ${(0,common_text/* seconds */.YA)(usedForMs)}.`);
        return this.token;
    }
    /** A token no longer used: never sent again, and revoked now (close() waits for the revoke). */
    retire(token) {
        if (token.retired)
            return;
        token.retired = true;
        if (this.token === token)
            this.token = undefined;
        this.revokes.push(this.revoke(token.value));
    }
    /** Revokes one token; resolves to what went wrong, or undefined. Never throws. */
    async revoke(token) {
        try {
            const response = await this.options.revokeSend(this.revokeUrl, {
                method: 'POST',
                headers: this.formHeaders(),
                body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString()
            });
            if (response.status === 200) {
                this.options.log.debug(`Revoked an access token of service account ${this.publicId}.`);
                return undefined;
            }
            const said = describeAnswer(response.status, await response.text(), response.headers);
            return `the revoke endpoint answered ${said}`;
        }
        catch (error) {
            return (0,common_text/* oneLine */.TN)(error.message, 300);
        }
    }
    tooManyRefusals() {
        return new errors/* AtlasApiError */.y1(`Atlas refused ${MAX_FORCED_RENEWALS + 1} access tokens of service account ${this.publicId} (HTTP 401) soon after the token endpoint (${this.tokenUrl}) issued them, so the step stopped asking for more: each token a run asks for counts towards the service account's 100 active tokens. The token endpoint issues tokens the API does not accept: check that base-url points at Atlas itself and that nothing between the runner and Atlas changes the Authorization header.`, 401, undefined);
    }
    formHeaders() {
        return {
            Authorization: this.basic,
            'Content-Type': FORM,
            Accept: 'application/json',
            'User-Agent': constants/* USER_AGENT */._O
        };
    }
}


/***/ })

};
;