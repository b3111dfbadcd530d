import { loadDeclinerConfig } from '../src';

describe('loadDeclinerConfig', () => {
  it('when only the brokers are given, then the topics come from the contracts and the defaults apply', () => {
    const config = loadDeclinerConfig({ KAFKA_BROKERS: 'kafka-0:9092, kafka-1:9092' });

    expect(config.brokers).toEqual(['kafka-0:9092', 'kafka-1:9092']);
    expect(config.consumer).toMatchObject({
      groupId: 'decliner',
      topic: 'job-applications.declines',
      deadLetterTopic: 'job-applications.declines.dlq',
      retry: { maxAttempts: 5, initialBackoffMs: 500, maxBackoffMs: 8_000 },
      sessionTimeoutMs: 30_000,
      heartbeatIntervalMs: 3_000,
    });
    expect(config.sidecar).toEqual({ daprHttpPort: 3500, apiToken: undefined });
    expect(config.port).toBe(3004);
  });

  it('when no brokers are given, then it fails naming KAFKA_BROKERS', () => {
    expect(() => loadDeclinerConfig({})).toThrow(/KAFKA_BROKERS: is required/);
  });

  it('when a call to the job service could outlast the session, then it refuses to start', () => {
    expect(() =>
      loadDeclinerConfig({ KAFKA_BROKERS: 'k:9092', INVOKE_TIMEOUT_MS: '29000', KAFKA_SESSION_TIMEOUT_MS: '30000' }),
    ).toThrow(/INVOKE_TIMEOUT_MS: plus one heartbeat interval must stay below KAFKA_SESSION_TIMEOUT_MS/);
  });

  it('when heartbeats are too rare for the session, then it refuses to start', () => {
    expect(() => loadDeclinerConfig({ KAFKA_BROKERS: 'k:9092', KAFKA_HEARTBEAT_INTERVAL_MS: '15000' })).toThrow(
      /KAFKA_HEARTBEAT_INTERVAL_MS: must be at most a third of KAFKA_SESSION_TIMEOUT_MS/,
    );
  });

  it('when the attempts and backoffs are set, then the retry policy uses them', () => {
    const config = loadDeclinerConfig({
      KAFKA_BROKERS: 'k:9092',
      DECLINE_MAX_ATTEMPTS: '8',
      DECLINE_BACKOFF_INITIAL_MS: '250',
      DECLINE_BACKOFF_MAX_MS: '4000',
      DECLINES_TOPIC: 'declines-test',
    });

    expect(config.consumer.retry).toEqual({ maxAttempts: 8, initialBackoffMs: 250, maxBackoffMs: 4_000 });
    expect(config.consumer.deadLetterTopic).toBe('declines-test.dlq');
  });

  it('when SASL is chosen, then it needs the username and password and turns them into the client settings', () => {
    expect(() => loadDeclinerConfig({ KAFKA_BROKERS: 'k:9093', KAFKA_SASL_MECHANISM: 'scram-sha-512' })).toThrow(
      /KAFKA_SASL_USERNAME: and KAFKA_SASL_PASSWORD are required/,
    );

    const config = loadDeclinerConfig({
      KAFKA_BROKERS: 'k:9093',
      KAFKA_TLS: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'sitter',
      KAFKA_SASL_PASSWORD: 'secret-value',
    });

    expect(config.tls).toBe(true);
    expect(config.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'sitter', password: 'secret-value' });
  });

  it('when a CA file is given with TLS, then the client trusts that CA; without TLS, it refuses to start', () => {
    expect(() => loadDeclinerConfig({ KAFKA_BROKERS: 'k:9093', KAFKA_CA_FILE: '/etc/sitter/kafka-ca/ca.crt' })).toThrow(
      /KAFKA_CA_FILE: needs KAFKA_TLS=true/,
    );

    const config = loadDeclinerConfig({
      KAFKA_BROKERS: 'k:9093',
      KAFKA_TLS: 'true',
      KAFKA_CA_FILE: '/etc/sitter/kafka-ca/ca.crt',
    });

    expect(config.caFile).toBe('/etc/sitter/kafka-ca/ca.crt');
  });
});
