/** `npm run infra:down`: stops the Redis, PostgreSQL and Kafka that `infra:up` started, and removes their data. */
import { rmSync } from 'node:fs';
import { elapsed, log } from './progress';
import { isOurs, processMarkers, readRunState, runDir } from './run-state';

async function stopProcess(
  name: string,
  pid: number,
  marker: string,
  graceMs: number,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  const started = Date.now();
  if (!isOurs(pid, marker)) {
    log(`  ${name} (pid ${pid}) is not running`);
    return;
  }
  process.kill(pid, signal);
  while (isOurs(pid, marker) && Date.now() - started < graceMs) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (isOurs(pid, marker)) process.kill(pid, 'SIGKILL');
  log(`✔ stopped ${name} (pid ${pid}, ${elapsed(started)})`);
}

async function main(): Promise<void> {
  const state = readRunState();
  if (!state) {
    log('✔ nothing to stop: infra:up has not started anything');
    return;
  }
  await Promise.all([
    stopProcess('Redis', state.redis.pid, processMarkers.redis, 5_000),
    stopProcess('Kafka', state.kafka.pid, processMarkers.kafka, 20_000),
    // SIGINT is PostgreSQL's fast shutdown: it ends the open sessions (daprd's pool) instead of waiting for them.
    state.postgres && stopProcess('PostgreSQL', state.postgres.pid, processMarkers.postgres, 10_000, 'SIGINT'),
  ]);
  for (const dir of [runDir(), ...(state.postgres ? [state.postgres.dir] : [])]) {
    rmSync(dir, { recursive: true, force: true });
    log(`✔ removed ${dir}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
