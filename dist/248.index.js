"use strict";
exports.id = 248;
exports.ids = [248];
exports.modules = {

/***/ 9248:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   openPipelinedConnection: () => (/* binding */ openPipelinedConnection)
/* harmony export */ });
/* unused harmony export PIPELINE_DEPTH */
/* harmony import */ var undici_lib_dispatcher_client_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3701);
/* harmony import */ var undici_lib_dispatcher_client_js__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(undici_lib_dispatcher_client_js__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _node_http_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7607);
// undici's Client alone (one connection, HTTP/1.1 pipelining), not the package index: no fetch,
// no Agent, no proxy code. undici parses responses (llhttp compiled to WebAssembly); nothing here
// reads HTTP bytes itself. The bundle leaves out undici's web/fetch/body.js (an external in
// scripts/bundle.ts): undici requires it only to send a FormData or Blob body, which these GETs
// never carry, and it would pull in undici's fetch and node:crypto (about 140 KB).



/** Requests on one connection at most. */
const PIPELINE_DEPTH = 2;
/** How many times one request may be written: once, and once more after a closed connection. */
const MAX_WRITES = 2;
function openPipelinedConnection(origin, connect) {
    const client = new (undici_lib_dispatcher_client_js__WEBPACK_IMPORTED_MODULE_0___default())(origin, {
        pipelining: 1,
        // The transport's own timer ends every request (request-timeout-seconds, the deadline).
        headersTimeout: 0,
        bodyTimeout: 0,
        ...(connect ? { connect: { ...connect } } : {})
    });
    /** Requests written on the current connection and not yet settled. */
    let running = 0;
    let stopped = false;
    /** Set when this server closed a connection under a pipelined request without warning. */
    let noPipelining = false;
    // A handler that throws is reported as an 'error' event; unheard, it would end the process.
    client.on('error', () => undefined);
    // A new connection starts at one request at a time; keep-alive promotes it (onHeaders).
    const stats = { connections: 0, pipelined: 0, rewritten: 0 };
    client.on('connect', () => (stats.connections += 1));
    client.on('disconnect', () => {
        running = 0;
        if (client.pipelining !== 1)
            client.pipelining = 1;
    });
    const fetch = (url, init) => new Promise((resolve, reject) => {
        const target = new URL(url);
        const signal = init.signal ?? undefined;
        if (signal?.aborted)
            return reject(signal.reason);
        let abort;
        let writes = 0;
        let settled = false;
        /** On the wire: written and not yet settled. */
        let onWire = false;
        /** Written while another request was unanswered on the same connection. */
        let pipelined = false;
        let body;
        const leaveWire = () => {
            if (onWire)
                running = Math.max(0, running - 1);
            onWire = false;
        };
        const fail = (error) => {
            leaveWire();
            signal?.removeEventListener('abort', onAbort);
            if (!settled) {
                settled = true;
                reject(error);
            }
            else
                body?.destroy(error instanceof Error ? error : new Error(String(error)));
        };
        const onAbort = () => {
            const reason = signal?.reason;
            // Written: undici ends it (and, as HTTP/1.1 has no other way, its connection). Not
            // written yet: it throws from onConnect when its turn comes, and is never written.
            if (abort)
                abort(reason instanceof Error ? reason : new Error(String(reason)));
            fail(reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        const handler = {
            onConnect(abortRequest) {
                if (signal?.aborted || stopped)
                    throw signal?.reason ?? new Error('The connection was closed.');
                writes += 1;
                // Written a second time after a closed connection: it goes first on the new one, so
                // its nonce count is still in order. A third time would be a loop: stop it.
                if (writes > MAX_WRITES)
                    throw new Error('the request was written twice and the connection closed each time');
                abort = abortRequest;
                pipelined = running > 0;
                if (pipelined)
                    stats.pipelined += 1;
                if (writes > 1)
                    stats.rewritten += 1;
                running += 1;
                onWire = true;
            },
            onHeaders(statusCode, raw, resume, statusText) {
                const headers = new Map();
                for (let i = 0; i + 1 < raw.length; i += 2) {
                    const name = raw[i].toString('latin1').toLowerCase();
                    const value = raw[i + 1].toString('latin1');
                    const before = headers.get(name);
                    headers.set(name, before === undefined ? value : `${before}, ${value}`);
                }
                if (statusCode < 200)
                    return true;
                // Keep-alive answered (undici has already refused HTTP/1.0 without keep-alive and
                // `Connection: close`: it writes nothing more on such a connection).
                const closing = /(^|,)\s*close\s*(,|$)/i.test(headers.get('connection') ?? '');
                if (!closing && client.pipelining < PIPELINE_DEPTH && !noPipelining)
                    client.pipelining = PIPELINE_DEPTH;
                body = new node_stream__WEBPACK_IMPORTED_MODULE_1__.Readable({ read: () => resume() });
                body.on('error', () => undefined);
                // A body left unread (too large, or not wanted) ends the request and its connection.
                body.once('close', () => {
                    if (!body?.readableEnded && abort)
                        abort(new Error('the response body was not read to its end'));
                });
                settled = true;
                signal?.removeEventListener('abort', onAbort);
                signal?.addEventListener('abort', onAbort, { once: true });
                resolve({
                    status: statusCode,
                    statusText,
                    headers: { get: (name) => headers.get(name.toLowerCase()) ?? null },
                    body
                });
                return true;
            },
            onData(chunk) {
                return body?.push(chunk) ?? true;
            },
            onComplete() {
                leaveWire();
                signal?.removeEventListener('abort', onAbort);
                body?.push(null);
            },
            onError(error) {
                // The server announced keep-alive, then closed this connection under a request: it
                // will do it again, and each time a pipelined request is lost with it. Stop pipelining.
                if (error.code === 'UND_ERR_SOCKET' &&
                    (pipelined || client.pipelining > 1)) {
                    noPipelining = true;
                    client.pipelining = 1;
                }
                fail(error);
            }
        };
        client.dispatch({
            origin: target.origin,
            path: `${target.pathname}${target.search}`,
            method: init.method ?? 'GET',
            headers: (0,_node_http_js__WEBPACK_IMPORTED_MODULE_2__/* .headerRecord */ .jP)(init.headers),
            body: typeof init.body === 'string' ? init.body : null
        }, handler);
    });
    return {
        fetch,
        stats,
        get depth() {
            return noPipelining ? 1 : PIPELINE_DEPTH;
        },
        close: async () => {
            stopped = true;
            await client.destroy().catch(() => undefined);
        }
    };
}


/***/ })

};
;