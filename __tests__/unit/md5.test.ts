import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { md5Hex } from '../../src/common/md5.js'

const nodeMd5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex')

/** src/common/md5.ts: the Digest hash without node:crypto; it must agree with node:crypto everywhere. */
describe('MD5', () => {
  // RFC 1321 appendix A.5.
  it.each([
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
    ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
    [
      '12345678901234567890123456789012345678901234567890123456789012345678901234567890',
      '57edf4a22be3c955ac49da2e2107b67a'
    ]
  ])('of %j is the RFC 1321 test vector', (text, expected) => {
    expect(md5Hex(text)).toBe(expected)
  })

  it('of every length around the block boundaries agrees with node:crypto', () => {
    // 55 and 56 bytes: the last that fits the length in one block, the first that does not.
    for (let length = 0; length <= 300; length++) {
      const text = 'x'.repeat(length)
      expect(md5Hex(text)).toBe(nodeMd5(text))
    }
  })

  it('of a Digest HA1 with a UUID private key agrees with node:crypto', () => {
    const text = 'abcdefgh:MMS Public API:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0'
    expect(md5Hex(text)).toBe(nodeMd5(text))
  })

  it('of any text, lone surrogates and astral characters included, agrees with node:crypto', () => {
    const codeUnit = fc.integer({ min: 0, max: 0xffff }).map(unit => String.fromCharCode(unit))
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: codeUnit, maxLength: 200 }),
          fc.string({ unit: 'grapheme', maxLength: 150 })
        ),
        text => md5Hex(text) === nodeMd5(text)
      ),
      { numRuns: 2000 }
    )
  })

  it('of a megabyte agrees with node:crypto', () => {
    const text = 'ab\u00e9\u{1f600}'.repeat(150_000)
    expect(md5Hex(text)).toBe(nodeMd5(text))
  })
})
