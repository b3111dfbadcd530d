/**
 * GraphQL Code Generator's config for the gateway: the resolver types in src/graphql/generated/types.ts, generated
 * from the schema in src/graphql/type-defs.ts (found by its GraphQL comment tag, so the schema stays in
 * one place). `npm run graphql:types` writes the file; `npm run graphql:types -- --check` exits 1 when it is stale,
 * and test/graphql/generated-types.test.ts fails npm test then.
 */
import path from 'node:path';
import type { CodegenConfig } from '@graphql-codegen/cli';

export const schemaFile = path.join(__dirname, 'src', 'graphql', 'type-defs.ts');
export const typesFile = path.join(__dirname, 'src', 'graphql', 'generated', 'types.ts');

const config: CodegenConfig = {
  schema: schemaFile,
  generates: {
    [typesFile]: {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useTypeImports: true,
        // Enums as string unions: the resolvers pass them on to the services as the strings they are.
        enumsAsTypes: true,
        contextType: '../context#GatewayContext',
        // What the services answer where it differs from the GraphQL type; the resolvers of those types bridge it.
        mappers: {
          // The booking service answers createdAt; Booking.createdOn is resolved from it.
          Booking: "Omit<Booking, 'createdOn'>",
          // value is the entity as JSON; DomainEvent.value is resolved to its text.
          DomainEvent: '@sitter/ports#DomainEvent as DomainEventRecord',
        },
      },
    },
  },
};

export default config;
