/** undici's Client module alone (see src/http/pipeline.ts); typed there, at the one place it is used. */
declare module 'undici/lib/dispatcher/client.js' {
  const Client: unknown
  export default Client
}
