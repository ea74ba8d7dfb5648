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
const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21]

/** floor(|sin(i + 1)| × 2^32), as RFC 1321 §3.4 tabulates them. */
const K = Int32Array.from([
  0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501, 0x698098d8,
  0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
  0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87,
  0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
  0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039,
  0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
  0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
  0xeb86d391
])

export function md5Hex(text: string): string {
  const data = Buffer.from(text, 'utf8')
  // The message, a 1 bit, zeros up to 8 bytes short of a 64-byte boundary, then its length in
  // bits as a little-endian 64-bit number.
  const blocks = Math.floor((data.length + 8) / 64) + 1
  const padded = Buffer.alloc(blocks * 64)
  data.copy(padded)
  padded[data.length] = 0x80
  padded.writeUInt32LE((data.length * 8) % 0x100000000, padded.length - 8)
  padded.writeUInt32LE(Math.floor((data.length * 8) / 0x100000000), padded.length - 4)

  const state = Int32Array.from([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476])
  const words = new Int32Array(16)
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) words[i] = padded.readInt32LE(offset + i * 4)
    let [a, b, c, d] = state
    for (let i = 0; i < 64; i++) {
      let mixed: number
      let word: number
      if (i < 16) {
        mixed = (b & c) | (~b & d)
        word = i
      } else if (i < 32) {
        mixed = (d & b) | (~d & c)
        word = (5 * i + 1) % 16
      } else if (i < 48) {
        mixed = b ^ c ^ d
        word = (3 * i + 5) % 16
      } else {
        mixed = c ^ (b | ~d)
        word = (7 * i) % 16
      }
      const sum = (a + mixed + K[i] + words[word]) | 0
      const shift = SHIFTS[(i >> 4) * 4 + (i % 4)]
      a = d
      d = c
      c = b
      b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0
    }
    state[0] = (state[0] + a) | 0
    state[1] = (state[1] + b) | 0
    state[2] = (state[2] + c) | 0
    state[3] = (state[3] + d) | 0
  }
  const digest = Buffer.alloc(16)
  state.forEach((word, i) => digest.writeInt32LE(word, i * 4))
  return digest.toString('hex')
}
