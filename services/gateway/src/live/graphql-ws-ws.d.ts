// graphql-ws publishes `graphql-ws/use/ws` through package exports only, which the repository's `node` module
// resolution does not read; its declarations are where that export points.
declare module 'graphql-ws/use/ws' {
  export * from 'graphql-ws/dist/use/ws';
}
