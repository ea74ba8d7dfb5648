export const id = 112;
export const ids = [112];
export const modules = {

/***/ 112:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ChallengeSyntaxError: () => (/* binding */ ChallengeSyntaxError),
/* harmony export */   chooseDigestChallenge: () => (/* binding */ chooseDigestChallenge),
/* harmony export */   parseChallenges: () => (/* binding */ parseChallenges)
/* harmony export */ });
/* harmony import */ var _common_text_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(450);

/** The field does not follow the grammar; `position` is the 0-based character where it stopped. */
class ChallengeSyntaxError extends Error {
    reason;
    position;
    constructor(reason, position) {
        super(`${reason} at character ${position + 1}`);
        this.reason = reason;
        this.position = position;
        this.name = 'ChallengeSyntaxError';
    }
}
const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68 = /[A-Za-z0-9\-._~+/]+=*/y;
// qdtext and the characters a quoted-pair may escape: HTAB, SP, VCHAR, obs-text.
const QUOTABLE = /[\t\x20-\x7e\x80-\xff]/;
/** Every challenge in a `WWW-Authenticate` field value, in order. */
function parseChallenges(field) {
    return new ChallengeReader(field).challenges();
}
class ChallengeReader {
    text;
    at = 0;
    constructor(text) {
        this.text = text;
    }
    challenges() {
        const found = [];
        this.skipSeparators();
        while (!this.ended()) {
            found.push(this.challenge());
            this.skipWhitespace();
            if (!this.ended() && this.peek() !== ',')
                throw this.error('expected a comma between challenges');
            this.skipSeparators();
        }
        return found;
    }
    /** One challenge; stops at the comma (or end) that follows it. */
    challenge() {
        const scheme = this.token('an authentication scheme');
        const challenge = { scheme, params: new Map() };
        if (this.ended() || this.peek() === ',')
            return challenge;
        if (this.skipWhitespace() === 0)
            throw this.error('expected a space after the scheme');
        if (this.ended() || this.peek() === ',')
            return challenge;
        const token68 = this.token68();
        if (token68 !== undefined) {
            challenge.token68 = token68;
            return challenge;
        }
        for (;;) {
            this.param(challenge.params);
            this.skipWhitespace();
            if (this.ended())
                return challenge;
            if (this.peek() !== ',')
                throw this.error('expected a comma after a parameter');
            // The next list element is another parameter of this challenge (`name =`) or a new one.
            const comma = this.at;
            this.skipSeparators();
            if (this.ended() || !this.paramFollows()) {
                this.at = comma;
                return challenge;
            }
        }
    }
    /** A token68 that makes up the rest of the challenge (up to a comma or the end), if it is one. */
    token68() {
        TOKEN68.lastIndex = this.at;
        const match = TOKEN68.exec(this.text);
        if (!match)
            return undefined;
        const after = this.at + match[0].length;
        const rest = /^[ \t]*(,|$)/.exec(this.text.slice(after));
        if (!rest)
            return undefined;
        this.at = after;
        return match[0];
    }
    param(params) {
        const start = this.at;
        const name = this.token('a parameter name').toLowerCase();
        this.skipWhitespace();
        if (this.peek() !== '=')
            throw this.error('expected "=" after a parameter name');
        this.at += 1;
        this.skipWhitespace();
        const value = this.peek() === '"' ? this.quotedString() : this.token('a parameter value');
        if (params.has(name))
            throw new ChallengeSyntaxError(`parameter "${name}" given twice`, start);
        params.set(name, value);
    }
    /** Whether the next list element is `token BWS "="`, a parameter of the current challenge. */
    paramFollows() {
        let i = this.at;
        while (i < this.text.length && TCHAR.test(this.text[i]))
            i += 1;
        if (i === this.at)
            return false;
        while (this.text[i] === ' ' || this.text[i] === '\t')
            i += 1;
        // A new challenge is a scheme then a space (or a comma, or the end), never `token =`.
        return this.text[i] === '=';
    }
    quotedString() {
        const start = this.at;
        this.at += 1;
        let value = '';
        while (!this.ended()) {
            const ch = this.text[this.at];
            if (ch === '"') {
                this.at += 1;
                return value;
            }
            if (ch === '\\') {
                const escaped = this.text[this.at + 1];
                if (escaped === undefined || !QUOTABLE.test(escaped))
                    throw this.error('invalid escape in a quoted string');
                value += escaped;
                this.at += 2;
                continue;
            }
            if (!QUOTABLE.test(ch))
                throw this.error('invalid character in a quoted string');
            value += ch;
            this.at += 1;
        }
        throw new ChallengeSyntaxError('unterminated quoted string', start);
    }
    token(what) {
        const start = this.at;
        while (!this.ended() && TCHAR.test(this.text[this.at]))
            this.at += 1;
        if (this.at === start)
            throw this.error(`expected ${what}`);
        return this.text.slice(start, this.at);
    }
    /** Skips commas and whitespace between list elements (empty elements are allowed). */
    skipSeparators() {
        while (!this.ended() && /[ \t,]/.test(this.text[this.at]))
            this.at += 1;
    }
    skipWhitespace() {
        const start = this.at;
        while (this.peek() === ' ' || this.peek() === '\t')
            this.at += 1;
        return this.at - start;
    }
    peek() {
        return this.text[this.at];
    }
    ended() {
        return this.at >= this.text.length;
    }
    error(reason) {
        return new ChallengeSyntaxError(reason, this.at);
    }
}
/** The algorithms of RFC 7616 §3.3, weakest first; each also comes as `<name>-sess`. */
const HASHES = [
    ['MD5', 'md5'],
    ['SHA-256', 'sha256'],
    ['SHA-512-256', 'sha512-256']
];
const QOPS = ['auth', 'auth-int'];
/**
 * The Digest challenge to answer among those in a `WWW-Authenticate` field: the strongest hash
 * offered that this client supports (SHA-512-256, then SHA-256, then MD5; a -sess variant
 * counts as its hash), the server's order deciding between equals (RFC 7616 §3.7: the first one
 * supported). Any other scheme (Basic above all) is never chosen, and a Digest challenge is
 * never answered with less than it asks for: an unknown algorithm or qop makes that challenge
 * unsupported rather than read as MD5 or as no qop. When none is supported, `offered` says what
 * was, for the error message.
 */
function chooseDigestChallenge(field) {
    let challenges;
    try {
        challenges = parseChallenges(field);
    }
    catch (error) {
        if (!(error instanceof ChallengeSyntaxError))
            throw error;
        return {
            ok: false,
            offered: `WWW-Authenticate could not be read, ${error.message}: ${(0,_common_text_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(field, 300)}`
        };
    }
    let best;
    for (const challenge of challenges) {
        const digest = readDigest(challenge);
        if (digest === undefined)
            continue;
        const rank = HASHES.findIndex(([, hash]) => hash === digest.hash) * 2 + (digest.qops.length > 0 ? 1 : 0);
        if (best === undefined || rank > best.rank)
            best = { challenge: digest, rank };
    }
    if (best !== undefined)
        return { ok: true, challenge: best.challenge };
    const offered = challenges.map(describe).join('; ');
    return { ok: false, offered: offered === '' ? 'no challenge at all' : offered };
}
/** A challenge as a Digest challenge this client supports, or undefined. */
function readDigest(challenge) {
    if (challenge.scheme.toLowerCase() !== 'digest' || challenge.token68 !== undefined)
        return undefined;
    const { params } = challenge;
    const realm = params.get('realm');
    const nonce = params.get('nonce');
    if (realm === undefined || nonce === undefined || nonce === '')
        return undefined;
    const algorithm = params.get('algorithm');
    const name = (algorithm ?? 'MD5').toUpperCase();
    const session = name.endsWith('-SESS');
    const hash = HASHES.find(([known]) => known === (session ? name.slice(0, -5) : name))?.[1];
    if (hash === undefined)
        return undefined;
    const qop = params.get('qop');
    const offeredQops = qop === undefined ? [] : qop.split(',').map(value => value.trim().toLowerCase());
    const qops = QOPS.filter(known => offeredQops.includes(known));
    // A qop list with nothing we know would be answered without qop: less than was asked.
    if (qop !== undefined && qops.length === 0)
        return undefined;
    // -sess needs the client nonce, which is only sent with a qop (RFC 7616 §3.4.2).
    if (session && qops.length === 0)
        return undefined;
    return { realm, nonce, opaque: params.get('opaque'), algorithm, hash, session, qops };
}
/** `Digest algorithm="SHA-1" qop="auth-conf"` or `Basic`: what a person needs to see of a challenge. */
function describe(challenge) {
    // A scheme is a token: nothing in it can break a log line.
    if (challenge.scheme.toLowerCase() !== 'digest')
        return challenge.scheme.slice(0, 40);
    const shown = ['algorithm', 'qop']
        .filter(name => challenge.params.has(name))
        .map(name => `${name}=${(0,_common_text_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(challenge.params.get(name) ?? '', 60)}`);
    if (!challenge.params.has('realm'))
        shown.push('no realm');
    if (!challenge.params.has('nonce') || challenge.params.get('nonce') === '')
        shown.push('no nonce');
    if (challenge.token68 !== undefined)
        shown.push('a token68 instead of parameters');
    return ['Digest', ...shown].join(' ');
}


/***/ })

};
