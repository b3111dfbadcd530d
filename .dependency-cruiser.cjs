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
          '^packages/(embedded-runtime|platform|system|dev-issuer|infra-harness)/',
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
