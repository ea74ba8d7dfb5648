/**
 * Reads the inputs and outputs of action.yml: enough YAML for this one file (two-space
 * indentation, plain or quoted scalars, folded `>-` descriptions), so that the runner harness
 * can pass defaults as a real runner does and tests can hold action.yml, the code and the
 * README to one contract.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { ROOT } from './paths.js'

export interface ActionEntry {
  name: string
  description: string
  required?: boolean
  default?: string
}

export interface ActionMetadata {
  inputs: ActionEntry[]
  outputs: ActionEntry[]
  runs: Record<string, string>
  branding: Record<string, string>
}

function scalar(raw: string): string {
  const text = raw.trim()
  if (text.startsWith("'") && text.endsWith("'")) return text.slice(1, -1).replace(/''/g, "'")
  if (text.startsWith('"') && text.endsWith('"')) return JSON.parse(text) as string
  return text
}

export function readActionYml(file = path.join(ROOT, 'action.yml')): ActionMetadata {
  const lines = readFileSync(file, 'utf8').split('\n')
  const metadata: ActionMetadata = { inputs: [], outputs: [], runs: {}, branding: {} }
  let section = ''
  let entry: ActionEntry | undefined
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const top = /^([a-z-]+):\s*(.*)$/.exec(line)
    if (top) {
      section = top[1]
      entry = undefined
      continue
    }
    const name = /^ {2}([a-z-]+):\s*(.*)$/.exec(line)
    if (name && (section === 'inputs' || section === 'outputs')) {
      entry = { name: name[1], description: '' }
      metadata[section].push(entry)
      continue
    }
    if (name && (section === 'runs' || section === 'branding')) {
      metadata[section][name[1]] = scalar(name[2])
      continue
    }
    const property = /^ {4}([a-z-]+):\s*(.*)$/.exec(line)
    if (property && entry) {
      let value = property[2]
      if (value === '>-' || value === '>' || value === '|') {
        const folded: string[] = []
        while (i + 1 < lines.length && /^ {6}/.test(lines[i + 1])) folded.push(lines[++i].trim())
        value = folded.join(' ')
      } else {
        value = scalar(value)
      }
      if (property[1] === 'description') entry.description = value
      if (property[1] === 'required') entry.required = value === 'true'
      if (property[1] === 'default') entry.default = value
    }
  }
  return metadata
}
