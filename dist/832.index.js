export const id = 832;
export const ids = [832];
export const modules = {

/***/ 832:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ServiceAccountAuthenticator: () => (/* binding */ ServiceAccountAuthenticator)
});

// UNUSED EXPORTS: renewalMarginMs

// EXTERNAL MODULE: ./src/common/constants.ts
var constants = __webpack_require__(952);
// EXTERNAL MODULE: ./src/common/text.ts
var common_text = __webpack_require__(450);
// EXTERNAL MODULE: ./src/http/node-http.ts + 1 modules
var node_http = __webpack_require__(495);
// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __webpack_require__(922);
// EXTERNAL MODULE: ./src/http/retry-after.ts
var retry_after = __webpack_require__(821);
;// CONCATENATED MODULE: ./src/auth/token-answer.ts



/** Atlas documents 1 h tokens; used only when the answer gives no usable expires_in. */
const DEFAULT_EXPIRES_IN_S = 3600;
const ROTATE_HINT = 'The client ID or secret is wrong, or the secret has expired: create a new secret under Organization Access Manager → Service Accounts in Atlas and update the client-secret secret.';
async function readTokenAnswer(response, context) {
    const text = await response.text();
    if (response.status !== 200)
        throw tokenError(response, text, context);
    const what = `The Atlas token endpoint (${context.tokenUrl}) answered HTTP 200 with`;
    const where = 'A proxy, captive portal or wrong base-url may be answering instead of Atlas.';
    let body;
    try {
        body = JSON.parse(text);
    }
    catch {
        // Not quoted: a body we cannot parse may still hold a token.
        const type = response.headers.get('content-type');
        const kind = type ? (0,common_text/* oneLine */.TN)(type, 60) : 'no content type';
        throw new errors/* ResponseFormatError */.TT(`${what} something that is not JSON (${kind}, ${text.length} characters). ${where}`);
    }
    const record = (typeof body === 'object' && body !== null ? body : {});
    const { access_token: value, token_type: type, expires_in: expiresIn } = record;
    if (typeof value !== 'string' || value === '') {
        const fields = Object.keys(record)
            .slice(0, 10)
            .map(key => (0,common_text/* quote */.hD)((0,common_text/* oneLine */.TN)(key, 40)));
        throw new errors/* ResponseFormatError */.TT(`${what} JSON without an access_token (fields: ${fields.join(', ') || 'none'}). ${where}`);
    }
    context.mask(value);
    if (typeof type !== 'string' || type.toLowerCase() !== 'bearer') {
        const got = typeof type === 'string' ? (0,common_text/* quote */.hD)((0,common_text/* oneLine */.TN)(type, 40)) : 'none';
        throw new errors/* ResponseFormatError */.TT(`${what} a token of type ${got}; this action only knows Bearer tokens. ${where}`);
    }
    const seconds = Number(expiresIn);
    return { value, expiresInS: Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_EXPIRES_IN_S };
}
/** 429, 5xx: transient (the read loop retries the whole read); anything else: stop, saying why. */
function tokenError(response, text, context) {
    const { status } = response;
    const { code, detail } = errorFields(text, response.headers.get('x-error-code'));
    const said = (0,common_text/* endSentence */.H_)(`The Atlas token endpoint answered ${describe(status, code, detail, context.redact)}`);
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
function describeAnswer(status, text, headers, redact) {
    const { code, detail } = errorFields(text, headers.get('x-error-code'));
    return describe(status, code, detail, redact);
}
function describe(status, code, detail, redact) {
    const said = detail ? `: ${(0,common_text/* quote */.hD)(redact((0,common_text/* oneLine */.TN)(detail, 300)))}` : '';
    return `HTTP ${status}${code ? ` (${(0,common_text/* oneLine */.TN)(code, 80)})` : ''}${said}`;
}
/** The code and description of an OAuth error ({error, error_description}) or an Atlas one ({errorCode, detail}). */
function errorFields(text, header) {
    let body = {};
    try {
        const parsed = JSON.parse(text);
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
 * One token per run, fetched on the first send(), masked on arrival, reused, renewed before it
 * expires, replaced once when a read is refused with 401, and revoked by close(). A request
 * made with a token goes through `send` like any other, so retries (429, 5xx, network) of the
 * token request happen in the caller's retry loop, within max-retries and the deadline.
 */
class ServiceAccountAuthenticator {
    options;
    kind = 'service-account';
    publicId;
    basic;
    tokenUrl;
    revokeUrl;
    token;
    pending;
    closed = false;
    constructor(options) {
        this.options = options;
        this.publicId = options.clientId;
        // From the raw strings, as Atlas expects (not form-encoded first, as RFC 6749 would have it).
        const credentials = Buffer.from(`${options.clientId}:${options.clientSecret}`, 'utf8').toString('base64');
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
        // Revoked, expired early, or lost by Atlas: one new token, one more try.
        this.options.log.debug('Atlas refused the access token (HTTP 401); getting a new one and repeating the request once.');
        if (this.token === used)
            this.token = undefined;
        // A 401 to the new token too is handed back: the caller says the credentials are wrong.
        return this.sendWith(await this.currentToken(), url, init);
    }
    async close() {
        if (this.closed)
            return;
        this.closed = true;
        const work = (async () => {
            await this.pending?.catch(() => undefined);
            // Cleared after the revoke, so that redact() still hides it in what the revoke answers.
            if (this.token)
                await this.revoke(this.token.value);
            this.token = undefined;
        })();
        const limitMs = this.options.closeTimeoutMs ?? 2000;
        let timer;
        const timedOut = new Promise(resolve => {
            timer = setTimeout(() => resolve(true), limitMs);
            timer.unref();
        });
        if (await Promise.race([work.then(() => false), timedOut])) {
            this.options.log.warning(`Revoking this run's access token took more than ${(0,common_text/* seconds */.YA)(limitMs)}, so the step went on without waiting; the token expires by itself within the hour.`, WARNING_TITLE);
        }
        clearTimeout(timer);
    }
    sendWith(token, url, init) {
        return this.options.send(url, {
            ...init,
            headers: { ...(0,node_http/* headerRecord */.jP)(init.headers), Authorization: `Bearer ${token.value}` }
        });
    }
    /** The token in hand while it is fresh; otherwise one token request, shared by concurrent callers. */
    async currentToken() {
        if (this.token && this.options.now() < this.token.renewAt)
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
        const { value, expiresInS } = await readTokenAnswer(response, {
            tokenUrl: this.tokenUrl,
            clientId: this.publicId,
            mask: this.options.mask,
            redact: text => this.redact(text),
            now: this.options.now
        });
        const lifetimeMs = expiresInS * 1000;
        const marginMs = renewalMarginMs(lifetimeMs);
        this.token = { value, renewAt: requestedAt + lifetimeMs - marginMs };
        this.options.log.debug(`Got an access token for service account ${this.publicId}, valid for ${(0,common_text/* seconds */.YA)(lifetimeMs)}; it will be replaced ${(0,common_text/* seconds */.YA)(marginMs)} before it expires.`);
        return this.token;
    }
    async revoke(token) {
        const failed = (why) => this.options.log.warning(`Could not revoke this run's access token (${why}); it expires by itself within the hour, and until then counts towards the service account's 100 active tokens.`, WARNING_TITLE);
        try {
            const response = await this.options.revokeSend(this.revokeUrl, {
                method: 'POST',
                headers: this.formHeaders(),
                body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString()
            });
            if (response.status === 200) {
                this.options.log.debug(`Revoked the access token of service account ${this.publicId}.`);
            }
            else {
                const text = await response.text();
                const said = describeAnswer(response.status, text, response.headers, t => this.redact(t));
                failed(`the revoke endpoint answered ${said}`);
            }
        }
        catch (error) {
            failed(this.redact((0,common_text/* oneLine */.TN)(error.message, 300)));
        }
    }
    formHeaders() {
        return {
            Authorization: this.basic,
            'Content-Type': FORM,
            Accept: 'application/json',
            'User-Agent': constants/* USER_AGENT */._O
        };
    }
    /** Whatever a server echoes back, the secret and the token never reach a message. */
    redact(text) {
        const secrets = [this.options.clientSecret, this.token?.value].filter((s) => !!s && s.length >= 4);
        return secrets.reduce((out, secret) => out.split(secret).join('***'), text);
    }
}


/***/ })

};
