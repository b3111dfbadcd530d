import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { subscribeOverWebSocket, waitUntil, webSocketClient } from './support/live-clients';
import { npmStarts } from './support/npm-start';

const JOB_POSTED = `subscription { jobPosted(near: { latitude: 53.8, longitude: -1.55, radiusKm: 10 }) { distanceKm } }`;

describe('npm start and the live settings', () => {
  let dataDir: string;
  const npm = npmStarts();

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sitter-live-settings-'));
  });

  afterEach(async () => {
    npm.killAll();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('when npm start runs with LIVE_MAX_CONNECTIONS_PER_USER=1, then a second WebSocket of the same user is closed with 4429', async () => {
    // Arrange
    const system = await npm.start(dataDir, { LIVE_MAX_CONNECTIONS_PER_USER: '1' });
    const token = system.tokenFor('livenanny', 'NANNY');
    const url = `http://127.0.0.1:${system.port}/graphql`;
    const [first, second] = [webSocketClient(url, token), webSocketClient(url, token)];

    try {
      // Act
      const kept = subscribeOverWebSocket(first, JOB_POSTED);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const refused = subscribeOverWebSocket(second, JOB_POSTED);
      await waitUntil(() => refused.closed !== undefined, 'the second connection to close', 10_000);

      // Assert
      expect(refused.closed?.code).toBe(4429);
      expect(kept.closed).toBeUndefined();
    } finally {
      await Promise.all([first.dispose(), second.dispose()]);
    }
  }, 90_000);
});
