import { jest } from '@jest/globals'
import * as fs from 'node:fs'

/**
 * src/common/crypto.ts: random bytes from the operating system's device where there is one,
 * so that a run need not load node:crypto; node:crypto asked for on first use otherwise.
 */
describe('random bytes and node:crypto, loaded lazily', () => {
  afterEach(() => jest.restoreAllMocks())

  // Linux and macOS have /dev/urandom; Windows has no such device and always uses node:crypto.
  const windows = process.platform === 'win32'
  const withDevice = windows ? it.skip : it
  const onWindows = windows ? it : it.skip

  onWindows("on Windows, takes node:crypto's bytes (there is no random device)", async () => {
    jest.resetModules()
    const { randomBytes, randomDevice } = await import('../../src/common/crypto.js')
    const asked = jest.spyOn(process, 'getBuiltinModule')
    expect(randomDevice()).toBeNull()
    expect(randomBytes(16)).toHaveLength(16)
    expect(asked).toHaveBeenCalledWith('node:crypto')
  })

  it('nodeCrypto() hands back node:crypto itself', async () => {
    const { nodeCrypto } = await import('../../src/common/crypto.js')
    const crypto = await import('node:crypto')
    expect(nodeCrypto().createHash).toBe(crypto.createHash)
  })

  withDevice('reads random bytes from /dev/urandom, a character device, without node:crypto', async () => {
    jest.resetModules()
    const asked = jest.spyOn(process, 'getBuiltinModule')
    const { randomBytes, randomDevice } = await import('../../src/common/crypto.js')
    const fd = randomDevice()
    expect(fd).not.toBeNull()
    expect(fs.fstatSync(fd as number).isCharacterDevice()).toBe(true)
    const samples = Array.from({ length: 50 }, () => randomBytes(16).toString('hex'))
    expect(samples.every(sample => /^[0-9a-f]{32}$/.test(sample))).toBe(true)
    expect(new Set(samples).size).toBe(samples.length)
    expect(randomBytes(100_000)).toHaveLength(100_000)
    expect(randomBytes(0)).toHaveLength(0)
    expect(asked).not.toHaveBeenCalledWith('node:crypto')
  })

  it('makes version 4 UUIDs, each different', async () => {
    const { randomUUID } = await import('../../src/common/crypto.js')
    const uuids = Array.from({ length: 200 }, () => randomUUID())
    for (const uuid of uuids)
      expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(new Set(uuids).size).toBe(uuids.length)
  })

  withDevice('preloadCrypto() leaves node:crypto unloaded where the random device serves', async () => {
    jest.resetModules()
    const { preloadCrypto } = await import('../../src/common/crypto.js')
    const asked = jest.spyOn(process, 'getBuiltinModule')
    preloadCrypto()
    preloadCrypto()
    await new Promise(resolve => setImmediate(resolve))
    expect(asked).not.toHaveBeenCalledWith('node:crypto')
  })

  it('falls back to node:crypto where there is no random device, preloaded once on the next turn', async () => {
    jest.resetModules()
    // node:fs as imported at the top of this file, unmocked, with one function replaced.
    jest.unstable_mockModule('node:fs', () => ({
      ...fs,
      openSync: () => {
        throw Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' })
      }
    }))
    const { preloadCrypto, randomBytes, randomDevice } = await import('../../src/common/crypto.js')
    const asked = jest.spyOn(process, 'getBuiltinModule')
    expect(randomDevice()).toBeNull()
    preloadCrypto()
    preloadCrypto()
    // Not inside the caller's turn (an I/O callback of the first request): later, once.
    expect(asked).not.toHaveBeenCalled()
    await new Promise(resolve => setImmediate(resolve))
    expect(asked).toHaveBeenCalledTimes(1)
    expect(asked).toHaveBeenCalledWith('node:crypto')
    expect(randomBytes(16)).toHaveLength(16)
    expect(asked).toHaveBeenCalledTimes(2)
  })

  it('refuses a character device that hands out the same byte (/dev/zero mounted in its place)', async () => {
    jest.resetModules()
    jest.unstable_mockModule('node:fs', () => ({
      ...fs,
      openSync: (file: string, flags: string) =>
        fs.openSync(file === '/dev/urandom' ? '/dev/zero' : file, flags)
    }))
    const { randomBytes, randomDevice } = await import('../../src/common/crypto.js')
    const asked = jest.spyOn(process, 'getBuiltinModule')
    expect(randomDevice()).toBeNull()
    const bytes = randomBytes(32)
    expect(bytes.some(byte => byte !== 0)).toBe(true)
    expect(asked).toHaveBeenCalledWith('node:crypto')
  })

  withDevice("takes node:crypto's bytes when a read of the device fails, never fewer", async () => {
    jest.resetModules()
    let reads = 0
    jest.unstable_mockModule('node:fs', () => ({
      ...fs,
      readSync: (...args: Parameters<typeof fs.readSync>) => {
        reads += 1
        // The first read is the device's probe at open; the next one fails.
        if (reads > 1) throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' })
        return fs.readSync(...args)
      }
    }))
    const { randomBytes, randomDevice } = await import('../../src/common/crypto.js')
    const asked = jest.spyOn(process, 'getBuiltinModule')
    expect(randomDevice()).not.toBeNull()
    expect(randomBytes(16)).toHaveLength(16)
    expect(reads).toBe(2)
    expect(asked).toHaveBeenCalledWith('node:crypto')
  })
})
