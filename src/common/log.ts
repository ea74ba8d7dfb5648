/** Where the inner layers write; `run()` passes @actions/core, unit tests a recorder. */
export interface Log {
  info(message: string): void
  warning(message: string, title?: string): void
  debug(message: string): void
}
