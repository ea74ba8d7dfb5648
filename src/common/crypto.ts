import { closeSync, fstatSync, openSync, readSync } from 'node:fs'

/**
 * Random bytes and node:crypto, without loading node:crypto where a run can do without it.
 * Loading node:crypto costs a run about 5 ms on Node 24 (some twenty internal modules), and a
 * one-read run would need it only for 16 random bytes (the Digest client nonce), one random
 * UUID (the delimiter of the output file) and MD5 (./md5.ts). On Linux and macOS the random
 * bytes come from the operating system's CSPRNG device, /dev/urandom, read with node:fs (loaded
 * already); where there is none (Windows), from node:crypto, which `preloadCrypto()` then
 * loads while the first request is on its way, hiding its load behind the round trip.
 */
export type NodeCrypto = typeof import('node:crypto')

export function nodeCrypto(): NodeCrypto {
  return process.getBuiltinModule('node:crypto')
}

const RANDOM_DEVICE = '/dev/urandom'

/** The random device's descriptor, open for the rest of the run; null where there is none. */
let device: number | null | undefined

/**
 * /dev/urandom, opened once, if it is what it should be: a character device (a regular file at
 * that path would hand out the same bytes on every run) whose first 32 bytes are not all the
 * same (/dev/zero mounted in its place would make every nonce and delimiter predictable).
 */
export function randomDevice(): number | null {
  if (device !== undefined) return device
  device = null
  if (process.platform === 'win32') return device
  let fd: number | undefined
  try {
    fd = openSync(RANDOM_DEVICE, 'r')
    if (fstatSync(fd).isCharacterDevice()) {
      const probe = readFully(fd, 32)
      if (probe.some(byte => byte !== probe[0])) {
        device = fd
        fd = undefined
      }
    }
  } catch {
    // No device, not readable, or short of bytes: node:crypto it is.
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
  return device
}

/** `size` bytes from the operating system's CSPRNG: its device, or node:crypto should a read fail. */
export function randomBytes(size: number): Buffer {
  const fd = randomDevice()
  if (fd !== null) {
    try {
      return readFully(fd, size)
    } catch {
      // An I/O error on the device: never fewer or weaker bytes, node:crypto's instead.
    }
  }
  return nodeCrypto().randomBytes(size)
}

function readFully(fd: number, size: number): Buffer {
  const bytes = Buffer.alloc(size)
  for (let filled = 0; filled < size;) {
    const read = readSync(fd, bytes, filled, size - filled, null)
    if (read <= 0) throw new Error(`${RANDOM_DEVICE} returned no bytes`)
    filled += read
  }
  return bytes
}

/** A random (version 4) UUID, as crypto.randomUUID() writes it. */
export function randomUUID(): string {
  const bytes = randomBytes(16)
  bytes[6] = (bytes[6] & 0x0f) | 0x40
  bytes[8] = (bytes[8] & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

let preloaded = false

/**
 * Where random bytes come from node:crypto (no random device), loads it once, on the next
 * turn of the event loop (never inside an I/O callback): called when the first request's
 * bytes are on their way.
 */
export function preloadCrypto(): void {
  if (preloaded) return
  preloaded = true
  if (randomDevice() !== null) return
  setImmediate(nodeCrypto).unref()
}
