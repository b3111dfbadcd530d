import { loadGatewayConfig } from '../src';
import { kafkaConnectionOf } from '@sitter/platform';

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

describe('gateway configuration of the live feed’s Kafka connection', () => {
  it('when a SASL mechanism is set without its credentials, then the gateway refuses to start', () => {
    const load = () => loadGatewayConfig({ ...base, KAFKA_BROKERS: 'k:9093', KAFKA_SASL_MECHANISM: 'scram-sha-512' });

    expect(load).toThrow(/KAFKA_SASL_USERNAME: and KAFKA_SASL_PASSWORD are required/);
  });

  it('when TLS, a CA and SASL are set as the chart sets them, then the feed gets them as its connection', () => {
    const config = loadGatewayConfig({
      ...base,
      KAFKA_BROKERS: 'k:9093',
      KAFKA_TLS: 'true',
      KAFKA_CA_FILE: '/etc/sitter/kafka-ca/ca.crt',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'sitter-gateway',
      KAFKA_SASL_PASSWORD: 'secret-value',
    });

    expect(kafkaConnectionOf(config)).toEqual({
      tls: true,
      caFile: '/etc/sitter/kafka-ca/ca.crt',
      sasl: { mechanism: 'scram-sha-512', username: 'sitter-gateway', password: 'secret-value' },
    });
  });

  it('when a CA is given without TLS, then the gateway refuses to start', () => {
    const load = () => loadGatewayConfig({ ...base, KAFKA_BROKERS: 'k:9093', KAFKA_CA_FILE: '/ca.crt' });

    expect(load).toThrow(/KAFKA_CA_FILE: needs KAFKA_TLS=true/);
  });
});
