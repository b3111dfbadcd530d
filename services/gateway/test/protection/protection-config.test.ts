import { loadConfig } from '@sitter/platform';
import { defaultProtection, gatewayProtection, protectionConfigSchema } from '../../src/protection';

const load = (env: Record<string, string>) => gatewayProtection(loadConfig('gateway', protectionConfigSchema, env));

describe('gateway protection settings', () => {
  it('when nothing is set, then the documented defaults apply, with developer tools on', () => {
    expect(load({})).toEqual({
      graphiql: true,
      introspection: true,
      corsOrigins: [],
      maxRequestBodyBytes: 65_536,
      maxTokens: 1_000,
      maxDirectives: 10,
      authenticated: { maxDepth: 8, maxAliases: 20, maxCost: 2_000 },
      public: { maxDepth: 5, maxAliases: 5, maxCost: 300 },
    });
  });

  it('when NODE_ENV is production, then GraphiQL and introspection are off unless set to true', () => {
    const production = load({ NODE_ENV: 'production' });
    const explicit = load({ NODE_ENV: 'production', GRAPHIQL: 'true', GRAPHQL_INTROSPECTION: 'true' });
    const devButOff = load({ NODE_ENV: 'development', GRAPHIQL: 'false', GRAPHQL_INTROSPECTION: 'false' });

    expect([production.graphiql, production.introspection]).toEqual([false, false]);
    expect([explicit.graphiql, explicit.introspection]).toEqual([true, true]);
    expect([devButOff.graphiql, devButOff.introspection]).toEqual([false, false]);
    expect(defaultProtection({ NODE_ENV: 'production' })).toEqual(production);
  });

  it('when limits and origins are set, then they are used', () => {
    const protection = load({
      CORS_ORIGINS: 'https://app.sitter.example, http://localhost:3000',
      MAX_REQUEST_BODY_BYTES: '1024',
      GRAPHQL_MAX_TOKENS: '300',
      GRAPHQL_MAX_DIRECTIVES: '2',
      GRAPHQL_MAX_DEPTH: '9',
      GRAPHQL_MAX_DEPTH_PUBLIC: '4',
      GRAPHQL_MAX_ALIASES: '30',
      GRAPHQL_MAX_ALIASES_PUBLIC: '3',
      GRAPHQL_MAX_COST: '900',
      GRAPHQL_MAX_COST_PUBLIC: '90',
    });

    expect(protection).toMatchObject({
      corsOrigins: ['https://app.sitter.example', 'http://localhost:3000'],
      maxRequestBodyBytes: 1024,
      maxTokens: 300,
      maxDirectives: 2,
      authenticated: { maxDepth: 9, maxAliases: 30, maxCost: 900 },
      public: { maxDepth: 4, maxAliases: 3, maxCost: 90 },
    });
  });

  it.each([
    ['CORS_ORIGINS', '*'],
    ['CORS_ORIGINS', 'https://app.sitter.example/'],
    ['CORS_ORIGINS', 'app.sitter.example'],
    ['GRAPHQL_MAX_TOKENS', '0'],
    ['MAX_REQUEST_BODY_BYTES', 'lots'],
    ['GRAPHIQL', 'yes'],
  ])('when %s is "%s", then loading fails naming it', (name, value) => {
    expect(() => load({ [name]: value })).toThrow(new RegExp(name));
  });
});
