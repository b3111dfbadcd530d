/** Architecture rules checked in CI (`npm run depcheck`). */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-infrastructure-free',
      comment: 'Domain code depends on ports only: no Dapr, Kafka, Redis, express or adapter code.',
      severity: 'error',
      from: { path: '^services/[^/]+/src/domain/' },
      to: {
        path: [
          'node_modules/(@dapr|kafkajs|redis|@redis|express|graphql-yoga|winston)',
          '^services/[^/]+/src/(adapters|http|app|main)',
          '^packages/(embedded-runtime|dapr-runtime|host|platform|dev-issuer|infra-harness)/',
          '^apps/',
        ],
      },
    },
    {
      name: 'no-reaching-into-another-service',
      comment: 'Services talk through Dapr (invoker, pub/sub), never by importing each other.',
      severity: 'error',
      from: { path: '^services/([^/]+)/src/' },
      to: { path: '^services/([^/]+)/', pathNot: '^services/$1/' },
    },
    {
      name: 'only-mains-choose-a-runtime',
      comment:
        "A service's code is runtime-neutral: only its main.ts hosts it (@sitter/host), which picks the runtime.",
      severity: 'error',
      from: { path: '^services/[^/]+/src/', pathNot: '^services/[^/]+/src/main\\.ts$' },
      to: { path: '^packages/(host|dapr-runtime|embedded-runtime)/' },
    },
    {
      name: 'runtimes-do-not-host',
      comment: 'The host sits above both runtimes; the runtimes and the libraries under them never import it.',
      severity: 'error',
      from: { path: '^packages/', pathNot: '^packages/host/' },
      to: { path: '^packages/host/' },
    },
    {
      name: 'runtimes-are-independent',
      comment: 'The embedded and the Dapr runtime implement the same ports side by side; neither builds on the other.',
      severity: 'error',
      from: { path: '^packages/(embedded-runtime|dapr-runtime)/' },
      to: { path: '^packages/(embedded-runtime|dapr-runtime)/', pathNot: '^packages/$1/' },
    },
    {
      name: 'libraries-do-not-import-apps',
      comment: 'Libraries sit under the services and the composition root (npm start): no import runs upward.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^(services|apps)/' },
    },
    {
      name: 'through-package-exports-only',
      comment:
        'Another package is imported by its name (@sitter/…), through what its package.json exports, never by a relative path into its files.',
      severity: 'error',
      from: { path: '^((apps|packages|services)/[^/]+|scripts|bench)/' },
      to: {
        dependencyTypes: ['local'],
        dependencyTypesNot: ['aliased'],
        path: '^(apps|packages|services)/',
        pathNot: '^$1/',
      },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^|/)test/' },
  },
};
