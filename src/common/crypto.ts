/**
 * node:crypto, loaded on first use instead of at start. Loading it costs a step about 10 ms
 * (Node 24 evaluates some twenty internal modules for it), and a run needs it only after its
 * first request: for the Digest hashes and client nonce once a challenge has arrived, and for
 * the delimiter of the output file at the end (@actions/core, patched to load it lazily too).
 * `preloadCrypto()` lets the sender load it while that first request is on its way, so the
 * time is hidden behind the round trip instead of added to it.
 */
export type NodeCrypto = typeof import('node:crypto')

export function nodeCrypto(): NodeCrypto {
  return process.getBuiltinModule('node:crypto')
}

let preloaded = false

/** Loads node:crypto once, on the next turn of the event loop (never inside an I/O callback). */
export function preloadCrypto(): void {
  if (preloaded) return
  preloaded = true
  setImmediate(nodeCrypto).unref()
}
