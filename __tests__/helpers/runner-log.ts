/**
 * The step's log as a GitHub runner would obey it (actions/runner ActionCommandManager.cs and
 * ActionCommand.cs): each line, split as .NET's ReadLine splits (CR, LF, CR LF), is a command
 * when it starts with `::name ...::` after trimming white space (v2), or holds `##[name ...]`
 * anywhere (the legacy form). `::stop-commands::TOKEN` stops every command, `::add-mask::`
 * included, until a line `::TOKEN::`. What the runner would show is masked with what it was
 * told to mask. Tests judge the action by this view, not by its raw stdout.
 */

const REGISTERED = [
  'add-mask',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning'
]

export interface ObeyedCommand {
  name: string
  data: string
  line: string
}

export interface RunnerView {
  /** The log as shown, masked. */
  shown: string[]
  /** Every line the runner took as a command, in order. */
  commands: ObeyedCommand[]
  /** The lines seen while commands were stopped (their add-mask ignored). */
  whileStopped: string[]
}

/** .NET String.TrimStart(): char.IsWhiteSpace, which includes NEL and the Unicode spaces. */
const TRIM_START = /^[\s\u0085]+/

export function parseCommand(line: string, registered: Set<string>): ObeyedCommand | undefined {
  const trimmed = line.replace(TRIM_START, '')
  if (trimmed.startsWith('::')) {
    const end = trimmed.indexOf('::', 2)
    if (end >= 0) {
      const info = trimmed.slice(2, end)
      const name = info.split(' ')[0].toLowerCase()
      if (registered.has(name)) return { name, data: unescapeData(trimmed.slice(end + 2)), line }
    }
  }
  const prefix = line.indexOf('##[')
  if (prefix >= 0) {
    const close = line.indexOf(']', prefix)
    if (close >= 0) {
      const name = line
        .slice(prefix + 3, close)
        .split(' ')[0]
        .toLowerCase()
      if (registered.has(name)) return { name, data: line.slice(close + 1), line }
    }
  }
  return undefined
}

function unescapeData(data: string): string {
  return data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

export function asTheRunnerSeesIt(stdout: string): RunnerView {
  const registered = new Set(REGISTERED)
  const masks: string[] = []
  const view: RunnerView = { shown: [], commands: [], whileStopped: [] }
  let stopToken: string | undefined
  const mask = (line: string): string => masks.reduce((out, secret) => out.split(secret).join('***'), line)
  for (const line of stdout.split(/\r\n|\r|\n/)) {
    const command = parseCommand(line, registered)
    if (stopToken !== undefined) {
      if (command?.name === stopToken.toLowerCase()) {
        registered.delete(stopToken.toLowerCase())
        stopToken = undefined
      } else view.whileStopped.push(line)
      view.shown.push(mask(line))
      continue
    }
    if (command === undefined) {
      view.shown.push(mask(line))
      continue
    }
    view.commands.push(command)
    if (command.name === 'stop-commands') {
      stopToken = command.data
      registered.add(command.data.toLowerCase())
    } else if (command.name === 'add-mask') {
      if (command.data.trim() !== '') masks.push(command.data)
      view.shown.push('::add-mask::***')
    } else view.shown.push(mask(line))
  }
  return view
}
