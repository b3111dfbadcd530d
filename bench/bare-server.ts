import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createSchema, createYoga } from 'graphql-yoga';
import { typeDefs } from '@sitter/gateway/graphql/type-defs';

/**
 * The baseline for `npm run bench`: a bare graphql-yoga server with the gateway's schema and
 * resolvers over a Map, with no authentication, services or persistence.
 */
const jobs = new Map<string, Record<string, unknown>>();

const yoga = createYoga({
  logging: false,
  schema: createSchema({
    typeDefs,
    resolvers: {
      Query: { getJob: (_: unknown, { id }: { id: string }) => jobs.get(id) ?? null },
      Mutation: {
        createJob: (_: unknown, { job }: { job: Record<string, unknown> }) => {
          const created = {
            ...job,
            id: randomUUID(),
            owner: 'bench',
            status: 'OPEN',
            createdOn: new Date().toISOString(),
          };
          jobs.set(created.id, created);
          return created;
        },
      },
    },
  }),
});

const port = Number(process.env.PORT ?? 0);
const server = createServer(yoga);
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : port}\n`);
});
