export const id = 318;
export const ids = [318];
export const modules = {

/***/ 318:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ApiKeyAuthenticator: () => (/* binding */ ApiKeyAuthenticator)
});

// UNUSED EXPORTS: MAX_DIGEST_SESSIONS

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(598);
;// CONCATENATED MODULE: ./node_modules/digest-fetch/digest-fetch-src.js
/// !-----------------------------------------------------------------------------------------------------------
/// |  
//  |  `digest-fetch` is a wrapper of `node-fetch` or `fetch` to provide http digest authentication boostraping.
//  |
/// !-----------------------------------------------------------------------------------------------------------

// Patched (patches/digest-fetch+3.1.1.patch): node:crypto and Buffer instead of the md5,
// js-sha256, js-sha512 and base-64 packages, which a bundle would otherwise carry and evaluate
// at every start (about 35 KB); the hashes are the same.

const hashWith = (algorithm) => (data) => (0,external_node_crypto_.createHash)(algorithm).update(data, 'utf8').digest('hex');
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

// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __webpack_require__(922);
// EXTERNAL MODULE: ./src/http/node-http.ts + 1 modules
var node_http = __webpack_require__(495);
;// CONCATENATED MODULE: ./src/auth/digest.ts




/** Loaded when the first 401 arrives: a run that never gets one (a service account) never loads it. */
let challengeParser;
async function loadChallengeParser() {
    challengeParser ??= await __webpack_require__.e(/* import() */ 112).then(__webpack_require__.bind(__webpack_require__, 112));
    return challengeParser;
}
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
 * or qop) stops the run with "unsupported Digest challenge (…)" instead of being answered with
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
    /** The challenge being answered; set whenever `hasAuth` is. */
    challenge;
    /** The client nonce for the current challenge. */
    cnonce = '';
    constructor(user, password, send) {
        super(user, password, { algorithm: 'MD5' });
        this.send = send;
    }
    /** Requests go through the project's transport (timeouts, size limit, proxy), not bare fetch. */
    async getClient() {
        return this.send;
    }
    async fetch(url, options = {}) {
        const target = String(url);
        const first = await this.send(target, this.addAuth(target, options));
        if (first.status !== 401)
            return first;
        const challenge = first.headers.get('www-authenticate');
        if (challenge === null)
            return first;
        // A fresh challenge: either our first request had none, or the server refused our nonce
        // (expired, `stale`, or single-use). Answer it once; its 401 is the one that counts.
        await loadChallengeParser();
        this.parseAuth(challenge);
        const second = await this.send(target, this.addAuth(target, options));
        if (second.status === 401)
            this.hasAuth = false;
        return second;
    }
    /**
     * Takes the strongest Digest challenge offered as the one to answer, with a fresh client
     * nonce and the request count starting over; throws when no Digest challenge is supported.
     * `fetch` loads the challenge parser before it calls this.
     */
    parseAuth(header) {
        this.hasAuth = false;
        this.challenge = undefined;
        if (challengeParser === undefined) {
            throw new Error('The Digest challenge parser is loaded by fetch() before a challenge is read.');
        }
        const choice = challengeParser.chooseDigestChallenge(header ?? '');
        if (!choice.ok)
            throw unsupported(choice.offered);
        this.challenge = choice.challenge;
        this.digest.nc = 0;
        this.cnonce = this.makeNonce();
        this.hasAuth = true;
    }
    /** 16 bytes from the operating system's CSPRNG, as 32 hex digits. */
    makeNonce() {
        return (0,external_node_crypto_.randomBytes)(16).toString('hex');
    }
    /** The hash the current challenge names (MD5 when it names none), in lower-case hex. */
    hashWithAlgorithm(data) {
        return (0,external_node_crypto_.createHash)(this.challenge?.hash ?? 'md5')
            .update(data, 'utf8')
            .digest('hex');
    }
    /**
     * Returns a copy of `options` with an Authorization header answering the current challenge
     * (or the options untouched while there is none), as RFC 7616 §3.4 says. Counts the request
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
/** A quoted-string (RFC 9110 §5.6.4): `"` and `\` escaped; nothing a header cannot carry. */
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
 * challenge), so N checks of K endpoints cost at most K×N + min(K, 4) requests.
 */
const MAX_DIGEST_SESSIONS = 4;
/**
 * A programmatic API key, spoken as HTTP Digest. One instance per run, so that Digest
 * challenges are reused from one poll to the next. A 401 that survives a fresh challenge is
 * handed back to the caller, which says the key pair is wrong.
 *
 * Concurrent requests: a Digest session (a StrictDigestClient: its challenge, client nonce and
 * nonce count) serves one request at a time, so its nc rises by one per request, in order, as
 * a strict server (Apache mod_auth_digest with AuthDigestNcCheck On) requires. A request takes
 * the first idle session; when every session is busy, a new one is opened (it answers its own
 * first challenge) while fewer than MAX_DIGEST_SESSIONS exist, else the request waits for the
 * first session to come free. Requests sent one after another all use the first session, so a
 * wait of N reads of one endpoint still costs N + 1 requests.
 */
class ApiKeyAuthenticator {
    kind = 'api-key';
    publicId;
    /** Requests this authenticator sends at once; more wait their turn (see the class comment). */
    maxConcurrent = MAX_DIGEST_SESSIONS;
    sessions = [];
    busy = new Set();
    /** Requests waiting for a session, first come first served. */
    queue = [];
    publicKey;
    privateKey;
    transport;
    constructor(options) {
        this.publicId = options.publicKey;
        this.publicKey = options.publicKey;
        this.privateKey = options.privateKey;
        this.transport = options.send;
    }
    async send(url, init) {
        const session = await this.acquire();
        try {
            return await session.fetch(url, init);
        }
        finally {
            this.release(session);
        }
    }
    /** Digest sessions opened so far (each answered one challenge of its own). */
    get sessionCount() {
        return this.sessions.length;
    }
    /** Digest has no session to end on the server. */
    async close() { }
    acquire() {
        const idle = this.sessions.find(session => !this.busy.has(session));
        if (idle !== undefined) {
            this.busy.add(idle);
            return idle;
        }
        if (this.sessions.length < MAX_DIGEST_SESSIONS) {
            const opened = new StrictDigestClient(this.publicKey, this.privateKey, this.transport);
            this.sessions.push(opened);
            this.busy.add(opened);
            return opened;
        }
        return new Promise(resolve => this.queue.push(resolve));
    }
    /** Hands the session to the next waiting request, else marks it idle. */
    release(session) {
        const next = this.queue.shift();
        if (next !== undefined)
            next(session);
        else
            this.busy.delete(session);
    }
}


/***/ })

};
