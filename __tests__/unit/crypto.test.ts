import { jest } from '@jest/globals'

/** src/common/crypto.ts: node:crypto asked for on first use, or once on the next turn of the loop. */
describe('node:crypto, loaded lazily', () => {
  afterEach(() => jest.restoreAllMocks())

  it('nodeCrypto() hands back node:crypto itself', async () => {
    const { nodeCrypto } = await import('../../src/common/crypto.js')
    const crypto = await import('node:crypto')
    expect(nodeCrypto().createHash).toBe(crypto.createHash)
    expect(nodeCrypto().createHash('md5').update('abc').digest('hex')).toBe(
      '900150983cd24fb0d6963f7d28e17f72'
    )
  })

  it('preloadCrypto() loads it on the next turn of the event loop, once', async () => {
    jest.resetModules()
    const { preloadCrypto } = await import('../../src/common/crypto.js')
    const asked = jest.spyOn(process, 'getBuiltinModule')
    preloadCrypto()
    preloadCrypto()
    // Not inside the caller's turn (an I/O callback of the first request): later.
    expect(asked).not.toHaveBeenCalled()
    await new Promise(resolve => setImmediate(resolve))
    expect(asked).toHaveBeenCalledTimes(1)
    expect(asked).toHaveBeenCalledWith('node:crypto')
    preloadCrypto()
    await new Promise(resolve => setImmediate(resolve))
    expect(asked).toHaveBeenCalledTimes(1)
  })
})
