import request from 'supertest';
import { createLogger, type Logger } from '@sitter/platform';
import { CREATE_JOB, jobInput, signUp } from './support/fixtures';
import { startTestSystem, type TestSystem } from './support/harness';

/** Every component's log lines as each logger formats them (redaction included). */
const lines: Array<Record<string, unknown>> = [];
const capturing = (name: string): Logger => {
  const logger = createLogger(name, 'debug');
  for (const transport of logger.transports) transport.silent = true;
  logger.on('data', (info: Record<string, unknown>) => lines.push(JSON.parse(JSON.stringify(info))));
  return logger;
};

describe('request ids and logs across services', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem({ loggerFor: capturing, logLevel: 'debug' });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('when a request names its id, then the gateway and every service it reaches log that id, and never the token', async () => {
    const parent = await signUp(t, 'PARENT');
    const requestId = `trace-${Date.now()}`;

    const response = await request(`http://127.0.0.1:${t.system.port}`)
      .post('/graphql')
      .set('authorization', `Bearer ${parent.token}`)
      .set('x-request-id', requestId)
      .send({ query: CREATE_JOB, variables: { job: jobInput() } });

    expect(response.body.errors).toBeUndefined();
    const traced = lines.filter((line) => line.requestId === requestId);
    expect(traced).toContainEqual(
      expect.objectContaining({
        service: 'gateway',
        message: 'graphql operation',
        operation: 'mutation createJob',
        caller: parent.username,
        errorCodes: [],
      }),
    );
    expect(traced).toContainEqual(
      expect.objectContaining({ service: 'job', message: 'operation handled', route: '/jobs', status: 201 }),
    );
    expect(traced).toContainEqual(
      expect.objectContaining({
        service: 'user',
        message: 'operation handled',
        route: '/users/:username',
        status: 200,
      }),
    );
    expect(JSON.stringify(lines)).not.toContain(parent.token);
  });
});
