import { loadGatewayConfig } from '../src';

const base = { JWT_PUBLIC_KEY: '', JWKS_URI: 'http://127.0.0.1:1/jwks.json', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' };

describe('gateway configuration of the API-key limits', () => {
  it('when the gateway runs on Dapr without a rate-limit Redis, then it refuses to start', () => {
    const load = () => loadGatewayConfig({ ...base, SITTER_RUNTIME: 'dapr', DAPR_HTTP_PORT: '3500' });

    expect(load).toThrow(/RATE_LIMIT_REDIS_HOST.*required when SITTER_RUNTIME=dapr/);
  });

  it('when the gateway runs on Dapr with a rate-limit Redis, then the limits are counted there', () => {
    const config = loadGatewayConfig({
      ...base,
      SITTER_RUNTIME: 'dapr',
      DAPR_HTTP_PORT: '3500',
      RATE_LIMIT_REDIS_HOST: 'redis:6379',
    });

    expect(config).toMatchObject({ RATE_LIMIT_REDIS_HOST: 'redis:6379', RATE_LIMIT_REDIS_TLS: false });
  });

  it('when the gateway runs embedded, then no rate-limit Redis is needed (one process counts its own)', () => {
    expect(loadGatewayConfig(base).RATE_LIMIT_REDIS_HOST).toBeUndefined();
  });
});
