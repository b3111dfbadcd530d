import { execFile } from 'node:child_process';
import { chmodSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describeWithInfra, locateTool, makeTempDir, postgresAnswers, startPostgres } from '../src';
import { removeDir } from '../src/processes';

// Real processes: skipped with a message only outside CI when the tools are not provisioned (CI=true throws).
const describeReal = describeWithInfra(['postgres']);

/** Runs one SQL statement with Debian's psql and returns its unaligned output. */
const psql = async (port: number, sql: string): Promise<string> => {
  const { stdout } = await promisify(execFile)(path.join(locateTool('postgres'), 'psql'), [
    ...['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-At', '-c', sql],
  ]);
  return stdout.trim();
};

describeReal('real PostgreSQL', () => {
  it('when started, then it accepts connections on its loopback port, and after stop it does not', async () => {
    // Arrange
    const postgres = await startPostgres();

    // Act
    const answered = await postgresAnswers(postgres.host, postgres.port);
    const version = await psql(postgres.port, 'show server_version');
    await postgres.stop();

    // Assert
    expect(answered).toBe(true);
    expect(version).toMatch(/^\d+/);
    expect(postgres.connectionString).toBe(
      `host=127.0.0.1 port=${postgres.port} user=postgres dbname=postgres sslmode=disable`,
    );
    expect(await postgresAnswers(postgres.host, postgres.port)).toBe(false);
  }, 60_000);

  it('when a cluster in a data folder is stopped and started again, then what was committed is still there', async () => {
    // Arrange
    const parent = makeTempDir('postgres-kept');
    // Started by root, the server runs as the postgres user, which must be able to reach the data folder.
    chmodSync(parent, 0o755);
    try {
      const dataDir = path.join(parent, 'data');
      const first = await startPostgres({ dataDir });
      await psql(first.port, "create table kept (v text); insert into kept values ('committed')");
      await first.stop();

      // Act
      const second = await startPostgres({ dataDir });
      const rows = await psql(second.port, 'select v from kept');
      await second.stop();

      // Assert
      expect(rows).toBe('committed');
    } finally {
      removeDir(parent);
    }
  }, 60_000);
});
