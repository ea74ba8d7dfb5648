"use strict";
exports.id = 40;
exports.ids = [40];
exports.modules = {

/***/ 2040:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ApiKeyAuthenticator: () => (/* binding */ ApiKeyAuthenticator)
});

// UNUSED EXPORTS: MAX_DIGEST_SESSIONS

;// CONCATENATED MODULE: ./node_modules/digest-fetch/digest-fetch-src.js
/// !-----------------------------------------------------------------------------------------------------------
/// |  
//  |  `digest-fetch` is a wrapper of `node-fetch` or `fetch` to provide http digest authentication boostraping.
//  |
/// !-----------------------------------------------------------------------------------------------------------

// Patched (patches/digest-fetch+3.1.1.patch): node:crypto and Buffer instead of the md5,
// js-sha256, js-sha512 and base-64 packages, which a bundle would otherwise carry and evaluate
// at every start (about 35 KB); the hashes are the same. node:crypto itself is loaded on the first
// hash, not when this module is evaluated.
const hashWith = (algorithm) => (data) =>
  process.getBuiltinModule('node:crypto').createHash(algorithm).update(data, 'utf8').digest('hex');
const md5 = hashWith('md5');
const sha256 = hashWith('sha256');
const sha512256 = hashWith('sha512-256');
const base64 = { encode: (text) => Buffer.from(text, 'latin1').toString('base64') };

const supported_algorithms = ['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess', 'SHA-512-256', 'SHA-512-256-sess']

const parse = (raw, field, trim=true) => {
  const regex = new RegExp(`${field}=("[^"]*"|[^,]*)`, "i")
  const match = regex.exec(raw)
  if (match)
    return trim ? match[1].replace(/[\s"]/g, '') : match[1]
  return null
}

class DigestClient {
  constructor(user, password, options={}) {
    this.user = user
    this.hashFunc = md5;
    this.password = password
    this.nonceRaw = 'abcdef0123456789'
    this.logger = options.logger
    this.precomputedHash = options.precomputedHash

    let algorithm = options.algorithm || 'MD5'
    if (!supported_algorithms.includes(algorithm)) {
      if (this.logger) this.logger.warn(`Unsupported algorithm ${algorithm}, will try with MD5`)
      algorithm = 'MD5'
    }
    if (algorithm.startsWith('SHA-256')) {
      this.hashFunc = sha256
    } else if (algorithm.startsWith('SHA-512-256')) {
      this.hashFunc = sha512256
    }
    this.digest = { nc: 0, algorithm, realm: '' }
    this.hasAuth = false
    const _cnonceSize = parseInt(options.cnonceSize)
    this.cnonceSize = isNaN(_cnonceSize) ? 32 : _cnonceSize // cnonce length 32 as default

    // Custom authentication failure code for avoiding browser prompt:
    // https://stackoverflow.com/questions/9859627/how-to-prevent-browser-to-invoke-basic-auth-popup-and-handle-401-error-using-jqu
    this.statusCode = options.statusCode
    this.basic = options.basic || false
  }

  async getClient() {
    if (typeof (fetch) === 'function') {
      return fetch;
    }
    // Patched: no node-fetch fallback; Node 18 and later have a global fetch.
    throw new Error('digest-fetch needs a global fetch (Node 18 or later)');
  }

  async fetch (url, options={}) {
    const fetch = await this.getClient();
    if (this.basic) return fetch(url, this.addBasicAuth(options))
    const resp = await fetch(url, this.addAuth(url, options))
    if (resp.status == 401 || (resp.status == this.statusCode && this.statusCode)) {
      this.hasAuth = false
      this.parseAuth(resp.headers.get('www-authenticate'))
      if (this.hasAuth) {
        const respFinal = await fetch(url, this.addAuth(url, options))
        if (respFinal.status == 401 || respFinal.status == this.statusCode) {
          this.hasAuth = false
        } else {
          this.digest.nc++
        }
        return respFinal
      }
    } else this.digest.nc++
    return resp
  }

  addBasicAuth (options={}) {
    let _options = {}
    if (typeof(options.factory) == 'function') {
      _options = options.factory()
    } else {
      _options = options
    }

    const auth = 'Basic ' + base64.encode(this.user + ":" + this.password)
    _options.headers = _options.headers || {}
    _options.headers.Authorization = auth;
    if (typeof(_options.headers.set) == 'function') {
      _options.headers.set('Authorization', auth)
    }

    if (this.logger) this.logger.debug(options)
    return _options
  }

  computeHash(user, realm, password) {
    return this.hashWithAlgorithm(`${user}:${realm}:${password}`);
  }

  hashWithAlgorithm(data) {
    return this.hashFunc(data)
  }

  addAuth (url, options) {
    if (typeof(options.factory) == 'function') options = options.factory()
    if (!this.hasAuth) return options
    if (this.logger) this.logger.info(`requesting with auth carried`)

    const isRequest = typeof(url) === 'object' && typeof(url.url) === 'string'
    const urlStr = isRequest ? url.url : url
    const _url = urlStr.replace('//', '')
    const uri = _url.indexOf('/') == -1 ? '/' : _url.slice(_url.indexOf('/'))
    const method = options.method ? options.method.toUpperCase() : 'GET'

    let ha1 = this.precomputedHash ? this.password : this.computeHash(this.user, this.digest.realm, this.password)
    if (this.digest.algorithm.endsWith('-sess')) {
      ha1 = this.hashWithAlgorithm(`${ha1}:${this.digest.nonce}:${this.digest.cnonce}`);
    }

    // optional Hash(entityBody) for 'auth-int'
    let _ha2 = '' 
    if (this.digest.qop === 'auth-int') {
      // not implemented for auth-int
      if (this.logger) this.logger.warn('Sorry, auth-int is not implemented in this plugin')
      // const entityBody = xxx
      // _ha2 = ':' + hash(entityBody)
    }
    const ha2 = this.hashWithAlgorithm(`${method}:${uri}${_ha2}`);

    const ncString = ('00000000'+this.digest.nc).slice(-8)

    let _response = `${ha1}:${this.digest.nonce}:${ncString}:${this.digest.cnonce}:${this.digest.qop}:${ha2}`
    if (!this.digest.qop) _response = `${ha1}:${this.digest.nonce}:${ha2}`
    const response = this.hashWithAlgorithm(_response);

    const opaqueString = this.digest.opaque !== null ? `opaque="${this.digest.opaque}",` : ''
    const qopString = this.digest.qop ? `qop=${this.digest.qop},` : ''
    const digest = `${this.digest.scheme} username="${this.user}",realm="${this.digest.realm}",\
nonce="${this.digest.nonce}",uri="${uri}",${opaqueString}${qopString}\
algorithm=${this.digest.algorithm},response="${response}",nc=${ncString},cnonce="${this.digest.cnonce}"`
    options.headers = options.headers || {}
    options.headers.Authorization = digest
    if (typeof(options.headers.set) == 'function') {
      options.headers.set('Authorization', digest)
    }

    if (this.logger) this.logger.debug(options)

    // const {factory, ..._options} = options
    const _options = {}
    Object.assign(_options, options)
    delete _options.factory
    return _options;
  }

  parseAuth (h) {
    this.lastAuth = h

    if (!h || h.length < 5) {
      this.hasAuth = false
      return
    }

    this.hasAuth = true
    
    this.digest.scheme = h.split(/\s/)[0]

    this.digest.realm = (parse(h, 'realm', false) || '').replace(/["]/g, '')

    this.digest.qop = this.parseQop(h)

    this.digest.opaque = parse(h, 'opaque')
    
    this.digest.nonce = parse(h, 'nonce') || ''

    this.digest.cnonce = this.makeNonce()
    this.digest.nc++
  }

  parseQop (rawAuth) {
    // Following https://en.wikipedia.org/wiki/Digest_access_authentication
    // to parse valid qop
    // Samples 
    // : qop="auth,auth-init",realm=
    // : qop=auth,realm=
    const _qop = parse(rawAuth, 'qop')

    if (_qop !== null) {
      const qops = _qop.split(',')
      if (qops.includes('auth')) return 'auth'
      else if (qops.includes('auth-int')) return 'auth-int'
    }
    // when not specified
    return null
  }

  makeNonce () {
    let uid = ''
    for (let i = 0; i < this.cnonceSize; ++i) {
      uid += this.nonceRaw[Math.floor(Math.random() * this.nonceRaw.length)];
    }
    return uid
  }

  static parse(...args) {
    return parse(...args)
  }
}

if (typeof(window) === "object") window.DigestFetch = DigestClient
/* harmony default export */ const digest_fetch_src = (DigestClient);

// EXTERNAL MODULE: ./src/common/crypto.ts
var common_crypto = __webpack_require__(372);
// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __webpack_require__(1922);
;// CONCATENATED MODULE: ./src/common/md5.ts
/**
 * MD5 (RFC 1321) of a text's UTF-8 bytes, in lower-case hex: the hash of Atlas's Digest
 * challenges. Written here rather than taken from node:crypto because loading node:crypto
 * costs a run about 5 ms on Node 24, more than everything else an API-key read computes, and
 * MD5 is all such a read needs of it. Other Digest hashes (SHA-256, SHA-512-256) still come
 * from node:crypto, loaded when a server asks for one.
 *
 * A wrong hash here could only make a Digest answer fail (a 401, the run stops); it can never
 * make a gate pass. `__tests__/unit/md5.test.ts` checks it against node:crypto on random texts
 * of every length around the 64-byte block boundaries.
 */
/** Per-step left rotations: four per round. */
const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
/** floor(|sin(i + 1)| \u00d7 2^32), as RFC 1321 \u00a73.4 tabulates them. */
const K = Int32Array.from([
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501, 0x698098d8,
    0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
    0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87,
    0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
    0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039,
    0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
    0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
    0xeb86d391
]);
function md5Hex(text) {
    const data = Buffer.from(text, 'utf8');
    // The message, a 1 bit, zeros up to 8 bytes short of a 64-byte boundary, then its length in
    // bits as a little-endian 64-bit number.
    const blocks = Math.floor((data.length + 8) / 64) + 1;
    const padded = Buffer.alloc(blocks * 64);
    data.copy(padded);
    padded[data.length] = 0x80;
    padded.writeUInt32LE((data.length * 8) % 0x100000000, padded.length - 8);
    padded.writeUInt32LE(Math.floor((data.length * 8) / 0x100000000), padded.length - 4);
    const state = Int32Array.from([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]);
    const words = new Int32Array(16);
    for (let offset = 0; offset < padded.length; offset += 64) {
        for (let i = 0; i < 16; i++)
            words[i] = padded.readInt32LE(offset + i * 4);
        let [a, b, c, d] = state;
        for (let i = 0; i < 64; i++) {
            let mixed;
            let word;
            if (i < 16) {
                mixed = (b & c) | (~b & d);
                word = i;
            }
            else if (i < 32) {
                mixed = (d & b) | (~d & c);
                word = (5 * i + 1) % 16;
            }
            else if (i < 48) {
                mixed = b ^ c ^ d;
                word = (3 * i + 5) % 16;
            }
            else {
                mixed = c ^ (b | ~d);
                word = (7 * i) % 16;
            }
            const sum = (a + mixed + K[i] + words[word]) | 0;
            const shift = SHIFTS[(i >> 4) * 4 + (i % 4)];
            a = d;
            d = c;
            c = b;
            b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0;
        }
        state[0] = (state[0] + a) | 0;
        state[1] = (state[1] + b) | 0;
        state[2] = (state[2] + c) | 0;
        state[3] = (state[3] + d) | 0;
    }
    const digest = Buffer.alloc(16);
    state.forEach((word, i) => digest.writeInt32LE(word, i * 4));
    return digest.toString('hex');
}

// EXTERNAL MODULE: ./src/http/node-http.ts
var node_http = __webpack_require__(7607);
// EXTERNAL MODULE: ./src/common/text.ts
var common_text = __webpack_require__(2450);
;// CONCATENATED MODULE: ./src/auth/digest-challenge.ts

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
/** The algorithms of RFC 7616 \u00a73.3, weakest first; each also comes as `<name>-sess`. */
const HASHES = [
    ['MD5', 'md5'],
    ['SHA-256', 'sha256'],
    ['SHA-512-256', 'sha512-256']
];
const QOPS = ['auth', 'auth-int'];
/**
 * The Digest challenge to answer among those in a `WWW-Authenticate` field: the strongest hash
 * offered that this client supports (SHA-512-256, then SHA-256, then MD5; a -sess variant
 * counts as its hash), the server's order deciding between equals (RFC 7616 \u00a73.7: the first one
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
            offered: `WWW-Authenticate could not be read, ${error.message}: ${(0,common_text/* quote */.hD)(field, 300)}`
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
    // -sess needs the client nonce, which is only sent with a qop (RFC 7616 \u00a73.4.2).
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
        .map(name => `${name}=${(0,common_text/* quote */.hD)(challenge.params.get(name) ?? '', 60)}`);
    if (!challenge.params.has('realm'))
        shown.push('no realm');
    if (!challenge.params.has('nonce') || challenge.params.get('nonce') === '')
        shown.push('no nonce');
    if (challenge.token68 !== undefined)
        shown.push('a token68 instead of parameters');
    return ['Digest', ...shown].join(' ');
}

;// CONCATENATED MODULE: ./src/auth/digest.ts





// Imported as usual: this file is itself in the API key's chunk (sign-in.ts imports it only for
// an API key run), and every such run reads a challenge first, so a chunk of its own for the
// parser would only add a file to load.

/**
 * digest-fetch 3.1.1, made correct for a client that polls.
 *
 * The stock client has these defects that would reach users (line numbers in
 * digest-fetch-src.js):
 * 1. `nc` is zero-padded *decimal* (line 138); RFC 7616 wants 8 hex digits, so the 10th
 *    request on a nonce would send 00000010, which a strict server reads as 16.
 * 2. `nc` is never reset when a new challenge arrives (line 185), so the first request on a
 *    fresh nonce can carry nc=00000003; a server that expects 00000001 refuses it, and the
 *    stock client hands that 401 back as if the keys were wrong.
 * 3. the client nonce comes from Math.random (lines 205-211), not a cryptographic source.
 * 4. a URL object as the first argument crashes (line 119), and the caller's headers object is
 *    mutated (lines 149-153).
 * 5. the challenge is read with one regex per field (lines 16-22): a value is found inside
 *    another (`opaque="nonce=zzz"` gives nonce zzz), spaces are stripped from quoted values, only
 *    the first challenge is considered (a Basic one first hides the Digest one), and the
 *    `algorithm` offered is ignored (the answer uses the constructor's), `auth-int` is answered
 *    as `auth`, values are sent back unescaped. Each of those ends as a 401 that reads as a
 *    wrong key pair.
 *
 * This subclass replaces the methods that hold those defects; challenges are read by
 * ./digest-challenge.ts, exactly. Each override is small enough to offer upstream as a patch
 * to the method of the same name. A challenge it cannot answer in full (an unknown algorithm
 * or qop) stops the run with "unsupported Digest challenge (\u2026)" instead of being answered with
 * less than it asked for, which would fail as a "wrong key".
 *
 * What a poll costs: the challenge is kept and reused, so N reads cost N + 1 requests when the
 * server accepts a reused nonce. When it refuses one (401 with a fresh challenge, `stale` or
 * not), the client answers the fresh challenge once; only a 401 to that answer is returned,
 * and only that means the keys are wrong.
 *
 * One instance is one Digest session: one challenge, one client nonce, one nonce count. It must
 * serve one request at a time, so that each request carries the next nc and a server that
 * checks nc strictly sees them in order; ApiKeyAuthenticator keeps a pool of them for
 * concurrent reads.
 */
class StrictDigestClient extends digest_fetch_src {
    send;
    hooks;
    /** The challenge being answered; set whenever `hasAuth` is. */
    challenge;
    /** The client nonce for the current challenge. */
    cnonce = '';
    constructor(user, password, send, hooks = {}) {
        super(user, password, { algorithm: 'MD5' });
        this.send = send;
        this.hooks = hooks;
    }
    /** Requests go through the project's transport (timeouts, size limit, proxy), not bare fetch. */
    async getClient() {
        return this.send;
    }
    /** Sends this session's next requests another way (its own pipelined connection); only while it has none in flight. */
    useSend(send) {
        this.send = send;
    }
    /** Whether this session holds a challenge to answer (its requests are signed). */
    get answering() {
        return this.hasAuth && this.challenge !== undefined;
    }
    async fetch(url, options = {}) {
        const target = String(url);
        const first = await this.signAndSend(target, options);
        if (first.status !== 401)
            return first;
        const challenge = first.headers.get('www-authenticate');
        if (challenge === null)
            return first;
        // A fresh challenge: either our first request had none, or the server refused our nonce
        // (expired, `stale`, or single-use). Answer it once; its 401 is the one that counts.
        const second = await this.signAndSend(target, options, challenge);
        if (second.status === 401)
            this.hasAuth = false;
        return second;
    }
    /**
     * Waits at the run's gate (a 429's pause), then, in one synchronous step, takes up a fresh
     * challenge if there is one, counts the request on the nonce (nc) and hands it to the
     * connection: with two requests of one session on its connection at once (pipelining), the
     * nonce counts go out in the order they were given, whatever order the two left the gate in.
     * `send` must start the request before its first await (createTransport does).
     */
    async signAndSend(target, options, challenge) {
        if (this.hooks.gate)
            await this.hooks.gate();
        if (challenge !== undefined)
            this.parseAuth(challenge);
        const response = await this.send(target, this.addAuth(target, options));
        this.hooks.observe?.(response.headers);
        return response;
    }
    /**
     * Takes the strongest Digest challenge offered as the one to answer, with a fresh client
     * nonce and the request count starting over; throws when no Digest challenge is supported.
     */
    parseAuth(header) {
        this.hasAuth = false;
        this.challenge = undefined;
        const choice = chooseDigestChallenge(header ?? '');
        if (!choice.ok)
            throw unsupported(choice.offered);
        this.challenge = choice.challenge;
        this.digest.nc = 0;
        this.cnonce = this.makeNonce();
        this.hasAuth = true;
    }
    /** 16 bytes from the operating system's CSPRNG, as 32 hex digits. */
    makeNonce() {
        return (0,common_crypto/* randomBytes */.po)(16).toString('hex');
    }
    /**
     * The hash the current challenge names (MD5 when it names none), in lower-case hex. MD5,
     * Atlas's, without loading node:crypto (../common/md5.ts); the others with it.
     */
    hashWithAlgorithm(data) {
        const hash = this.challenge?.hash ?? 'md5';
        if (hash === 'md5')
            return md5Hex(data);
        return (0,common_crypto/* nodeCrypto */.SI)().createHash(hash).update(data, 'utf8').digest('hex');
    }
    /**
     * Returns a copy of `options` with an Authorization header answering the current challenge
     * (or the options untouched while there is none), as RFC 7616 \u00a73.4 says. Counts the request
     * on the nonce first, so every request, answered or lost, gets its own nc.
     */
    addAuth(url, options) {
        const challenge = this.challenge;
        if (!this.hasAuth || challenge === undefined)
            return options;
        const { pathname, search } = new URL(url);
        const uri = `${pathname}${search}`;
        const method = (options.method ?? 'GET').toUpperCase();
        const { realm, nonce, opaque, algorithm, session } = challenge;
        const cnonce = this.cnonce;
        const qop = this.chooseQop(challenge, options);
        this.digest.nc += 1;
        const nc = this.digest.nc.toString(16).padStart(8, '0');
        let ha1 = this.computeHash(this.user, realm, this.password);
        if (session)
            ha1 = this.hashWithAlgorithm(`${ha1}:${nonce}:${cnonce}`);
        // auth-int covers the body too; only bodyless requests get here with it (chooseQop).
        const ha2 = this.hashWithAlgorithm(qop === 'auth-int' ? `${method}:${uri}:${this.hashWithAlgorithm('')}` : `${method}:${uri}`);
        const response = this.hashWithAlgorithm(qop ? `${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}` : `${ha1}:${nonce}:${ha2}`);
        const parameters = [
            `username=${quoted(this.user, 'the public key')}`,
            `realm=${quoted(realm)}`,
            `nonce=${quoted(nonce)}`,
            `uri=${quoted(uri)}`,
            ...(opaque !== undefined ? [`opaque=${quoted(opaque)}`] : []),
            ...(qop ? [`qop=${qop}`, `nc=${nc}`, `cnonce=${quoted(cnonce)}`] : []),
            // Echoed as offered; a token in the challenge stays a token here.
            ...(algorithm !== undefined ? [`algorithm=${asToken(algorithm)}`] : []),
            `response=${quoted(response)}`
        ];
        const headers = { ...(0,node_http/* headerRecord */.jP)(options.headers), Authorization: `Digest ${parameters.join(', ')}` };
        return { ...options, headers };
    }
    /** `auth` when offered; `auth-int` only for a request without a body (its hash is that of ""). */
    chooseQop(challenge, options) {
        if (challenge.qops.length === 0)
            return undefined;
        if (challenge.qops.includes('auth'))
            return 'auth';
        if (options.body === undefined || options.body === null)
            return 'auth-int';
        throw unsupported(`Digest qop="auth-int" for a request with a body`);
    }
}
/** A challenge this client will not answer: not the key's fault, and retrying will not help. */
function unsupported(offered) {
    return new errors/* AtlasApiError */.y1(`unsupported Digest challenge (${offered}). The server did not offer HTTP Digest authentication in a form this action answers (Digest with algorithm MD5, SHA-256 or SHA-512-256, plain or -sess, and qop "auth" or "auth-int"), so it was not answered. Atlas itself sends Digest with MD5 and qop="auth": check base-url and any proxy between the runner and Atlas.`, 401, undefined);
}
/** A quoted-string (RFC 9110 \u00a75.6.4): `"` and `\` escaped; nothing a header cannot carry. */
function quoted(value, what = 'a value from the challenge') {
    // eslint-disable-next-line no-control-regex -- control characters are what cannot be sent
    if (/[\u0000-\u0008\u000a-\u001f\u007f]|[^\u0000-\u00ff]/.test(value)) {
        throw new Error(`The Digest answer cannot carry ${what}: it holds a control or non-Latin-1 character.`);
    }
    return `"${value.replace(/["\\]/g, '\\$&')}"`;
}
/** The algorithm was a token or a quoted-string in the challenge; answer with a token if it is one. */
function asToken(value) {
    return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value) ? value : quoted(value);
}

;// CONCATENATED MODULE: ./src/auth/api-key.ts

/**
 * Digest sessions one API key opens at most. Each costs one extra request (its own first
 * challenge), so N checks of K endpoints cost at most K\u00d7N + min(K, 4) requests.
 */
const MAX_DIGEST_SESSIONS = 4;
/**
 * A programmatic API key, spoken as HTTP Digest. One instance per run, so that Digest
 * challenges are reused from one poll to the next. A 401 that survives a fresh challenge is
 * handed back to the caller, which says the key pair is wrong.
 *
 * Concurrent requests: a Digest session (a StrictDigestClient: its challenge, client nonce and
 * nonce count) counts its requests in the order they go out, so that a strict server (Apache
 * mod_auth_digest with AuthDigestNcCheck On) sees every nc in order. A request takes the first
 * idle session; when every session is busy, a new one is opened (it answers its own first
 * challenge) while fewer than MAX_DIGEST_SESSIONS exist. Requests sent one after another all use
 * the first session, so a wait of N reads of one endpoint still costs N + 1 requests.
 *
 * Over node:http (and always through a proxy) a session serves one request at a time. On a
 * direct connection, after a burst in which more requests waited than there are sessions, each
 * session moves (once it is idle) to a connection of its own that carries 2 requests at once (HTTP/1.1 pipelining:
 * written back to back, answered in order), so that 4 sessions serve 8 reads at once. A session
 * signs each request right before handing it to that connection, after the gate, in one
 * synchronous step (StrictDigestClient.signAndSend): its nonce counts reach the server in order.
 */
class ApiKeyAuthenticator {
    kind = 'api-key';
    publicId;
    /** Requests this authenticator sends at once, at most; more wait their turn (see the class comment). */
    maxConcurrent = MAX_DIGEST_SESSIONS * 2;
    sessions = [];
    /** Requests waiting for a session, first come first served. */
    queue = [];
    publicKey;
    privateKey;
    transport;
    gate;
    loadPipeline;
    /** Opens a session's pipelined connection, once loaded. */
    openConnection;
    loading;
    /** More reads waited than sessions could serve: the pipelined path is loaded once they are done. */
    pipeliningWanted = false;
    origin;
    constructor(options) {
        this.publicId = options.publicKey;
        this.publicKey = options.publicKey;
        this.privateKey = options.privateKey;
        this.transport = options.send;
        this.gate = options.gate;
        this.loadPipeline = options.pipeline;
    }
    async send(url, init) {
        this.origin ??= new URL(url).origin;
        const session = await this.acquire();
        try {
            return await session.digest.fetch(url, init);
        }
        finally {
            this.release(session);
        }
    }
    /** Settles once the pipelined path has been loaded (or could not be); undefined before it is asked for. */
    get pipelineLoaded() {
        return this.loading;
    }
    /** Digest sessions opened so far (each answered one challenge of its own). */
    get sessionCount() {
        return this.sessions.length;
    }
    /** Sessions that moved to a pipelined connection of their own. */
    get pipelinedSessions() {
        return this.sessions.filter(session => session.connection !== undefined).length;
    }
    /** The pipelined connections' counts, summed (tests and the benchmark). */
    get pipelineStats() {
        const total = { connections: 0, pipelined: 0, rewritten: 0 };
        for (const { connection } of this.sessions) {
            if (connection === undefined)
                continue;
            total.connections += connection.stats.connections;
            total.pipelined += connection.stats.pipelined;
            total.rewritten += connection.stats.rewritten;
        }
        return total;
    }
    /** Digest has no session to end on the server; the pipelined connections are closed. */
    async close() {
        await Promise.all(this.sessions.map(session => session.connection?.close()));
    }
    /** How many requests a session may serve at once now. */
    capacity(session) {
        // Pipelined only on its own connection and once it holds a challenge: two unsigned
        // requests would cost two challenges.
        return session.connection !== undefined && session.digest.answering ? session.connection.depth : 1;
    }
    acquire() {
        const idle = this.sessions.find(session => session.active === 0);
        if (idle !== undefined)
            return this.take(idle);
        if (this.sessions.length < MAX_DIGEST_SESSIONS) {
            const opened = {
                digest: new StrictDigestClient(this.publicKey, this.privateKey, this.transport, this.gate),
                active: 0
            };
            this.sessions.push(opened);
            return this.take(opened);
        }
        const spare = this.sessions.find(session => session.active < this.capacity(session));
        if (spare !== undefined)
            return this.take(spare);
        this.pipeliningWanted = true;
        return new Promise(resolve => this.queue.push(resolve));
    }
    /** Counts a request on the session; an idle session moves to its pipelined connection first, once there is one. */
    take(session) {
        if (session.active === 0 && session.connection === undefined && this.openConnection && this.origin) {
            session.connection = this.openConnection(this.origin);
            session.digest.useSend(session.connection.send);
        }
        session.active += 1;
        return session;
    }
    /** Hands the session (or any with room) to the next waiting requests. */
    release(session) {
        session.active -= 1;
        this.drain();
        if (this.pipeliningWanted && this.queue.length === 0 && this.sessions.every(each => each.active === 0))
            this.startPipelining();
    }
    drain() {
        while (this.queue.length > 0) {
            const free = this.sessions.find(session => session.active === 0) ??
                this.sessions.find(session => session.active < this.capacity(session));
            if (free === undefined)
                return;
            const next = this.queue.shift();
            next(this.take(free));
        }
    }
    /**
     * Loads the pipelined connections (once), if this run may use them. Called when the burst of
     * reads that found every session busy is over (every session idle, nothing waiting): the load,
     * and the WebAssembly parser undici compiles on its first connection, then fall in the pause
     * before the next check, not in the middle of this one; the next check reads 8 at once.
     */
    startPipelining() {
        if (this.loading !== undefined || this.loadPipeline === undefined)
            return;
        this.loading = this.loadPipeline().then(open => {
            this.openConnection = open;
            this.drain();
        }, () => undefined // not loaded: one request per session, as over a proxy
        );
    }
}


/***/ })

};
;