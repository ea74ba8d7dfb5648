import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root, wherever this is run from. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
