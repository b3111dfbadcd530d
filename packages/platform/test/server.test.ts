import { Agent, request } from 'node:http';
import { close, drainSeconds, listen } from '../src';

const get = (port: number, agent?: Agent) =>
  new Promise<{ status: number; body: string; connection?: string }>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/', agent }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body, connection: response.headers.connection }),
      );
    })
      .on('error', reject)
      .end();
  });

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('closing a server', () => {
  it('when a request is in flight, then close lets it finish before it resolves, and its answer closes the connection', async () => {
    let answeredAt = 0;
    const { server, port } = await listen(
      (_req, res) =>
        void delay(300).then(() => {
          answeredAt = Date.now();
          res.end('done');
        }),
      0,
      '127.0.0.1',
    );
    const agent = new Agent({ keepAlive: true });
    const inFlight = get(port, agent);
    await delay(50);

    const closing = close(server, 5_000).then(() => Date.now());
    const answer = await inFlight;
    const closedAt = await closing;
    agent.destroy();

    expect(answer).toEqual({ status: 200, body: 'done', connection: 'close' });
    expect(closedAt).toBeGreaterThanOrEqual(answeredAt);
  });

  it('when a request outlasts the drain bound, then close cuts it and resolves', async () => {
    const { server, port } = await listen(() => undefined, 0, '127.0.0.1');
    const stuck = get(port).catch((error: Error) => error);
    await delay(50);
    const started = Date.now();

    await close(server, 200);

    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(await stuck).toHaveProperty('message', 'socket hang up');
  });

  it('when a keep-alive connection is idle, then it does not hold close up', async () => {
    const agent = new Agent({ keepAlive: true });
    const { server, port } = await listen((_req, res) => res.end('ok'), 0, '127.0.0.1');
    const answer = await get(port, agent);
    const started = Date.now();

    await close(server, 10_000);
    agent.destroy();

    expect(Date.now() - started).toBeLessThan(2_000);
    expect(answer.connection).toBe('keep-alive');
  });

  it('when SHUTDOWN_DRAIN_SECONDS is not a number of seconds, then reading it fails naming the variable', () => {
    expect(() => drainSeconds({ SHUTDOWN_DRAIN_SECONDS: 'soon' })).toThrow(/SHUTDOWN_DRAIN_SECONDS/);
    expect(drainSeconds({})).toBe(10);
    expect(drainSeconds({ SHUTDOWN_DRAIN_SECONDS: '2.5' })).toBe(2.5);
  });
});
