import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRunning, npmStarts, waitUntil } from './support/npm-start';

/** A POST whose body arrives in two parts: between them, the request is in flight on the server. */
const slowPost = (port: number, token: string, body: string) => {
  const half = Math.floor(body.length / 2);
  let finish!: () => void;
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const sent = request(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
        },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    sent.on('error', reject);
    sent.write(body.slice(0, half));
    finish = () => sent.end(body.slice(half));
  });
  return { answer, finish: () => finish() };
};

const createUser = (username: string) =>
  JSON.stringify({
    query: `mutation { createUser(user: {username: "${username}", email: "${username}@example.com", type: PARENT, firstName: "Drain", lastName: "Test"}) { username status } }`,
  });

describe('npm start and signals', () => {
  let dataDir: string;
  const npm = npmStarts();

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sitter-signals-'));
  });

  afterEach(async () => {
    npm.killAll();
    await rm(dataDir, { recursive: true, force: true });
  });

  const start = () => npm.start(dataDir);

  it('when npm gets SIGTERM during a request in flight, then the request completes, the server exits and the data dir can be used again', async () => {
    const first = await start();
    const token = first.tokenFor('drainer', 'PARENT');
    const post = slowPost(first.port, token, createUser('drainer'));
    await new Promise((resolve) => setTimeout(resolve, 300));

    process.kill(first.npmPid, 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const drainingAfterOneSecond = isRunning(first.serverPid);
    post.finish();
    const answer = await post.answer;
    await waitUntil(() => !isRunning(first.serverPid), 15_000, 'the server process exits');
    const lockLeft = existsSync(join(dataDir, 'LOCK'));
    const second = await start();
    const found = await second.gql<{ getUser: { username: string } | null }>(
      '{ getUser(username: "drainer") { username } }',
      second.tokenFor('drainer', 'PARENT'),
    );

    expect(drainingAfterOneSecond).toBe(true);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ data: { createUser: { username: 'drainer', status: 'UNVERIFIED' } } });
    expect(first.output()).toContain('received SIGTERM, shutting down');
    expect(lockLeft).toBe(false);
    expect(found.data?.getUser?.username).toBe('drainer');
  }, 90_000);

  it.each(['SIGHUP', 'SIGKILL'] as const)(
    'when npm gets %s (which it does not pass on), then its server stops too and releases the data dir',
    async (signal) => {
      const system = await start();

      process.kill(system.npmPid, signal);
      await waitUntil(() => !isRunning(system.serverPid), 15_000, 'the server process exits');

      expect(system.output()).toContain('is gone, shutting down');
      expect(existsSync(join(dataDir, 'LOCK'))).toBe(false);
    },
    60_000,
  );
});
