import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeWithInfra, makeTempDir, startDaprd, startPostgres, type Daprd } from '../src';
import { lostMetadataTableRace } from '../src/daprd';
import { removeDir, startWithRetries, StartupError } from '../src/processes';

// The fatal line of a daprd that lost the race, as a CI run printed it (two replicas of every app on a fresh cluster).
const LOST_RACE =
  '{"app_id":"user","level":"fatal","msg":"Fatal error from runtime: process component statestore error: ' +
  '[INIT_COMPONENT_FAILURE]: initialization error occurred for statestore (state.postgresql/v2): failed to ensure ' +
  'metadata table exists: failed to create metadata table: ERROR: type \\"dapr_metadata\\" already exists (SQLSTATE 42710)"}';

describe('starting a process again after a failed start', () => {
  it('when a start fails with output the caller names retryable, then it is started again and its second start counts', async () => {
    // Arrange
    const outputs = [LOST_RACE];
    let starts = 0;
    const start = async () => {
      starts += 1;
      const output = outputs.shift();
      if (output !== undefined) throw new StartupError('daprd user exited before /v1.0/healthz/outbound', output);
      return 'started';
    };

    // Act
    const result = await startWithRetries(start, 3, lostMetadataTableRace);

    // Assert
    expect(result).toBe('started');
    expect(starts).toBe(2);
  });

  it('when a start fails for another reason, then it is not tried again', async () => {
    // Arrange
    const failure = new StartupError('daprd user exited before /v1.0/healthz/outbound', 'error parsing component');
    let starts = 0;

    // Act
    const started = startWithRetries(
      async () => {
        starts += 1;
        throw failure;
      },
      3,
      lostMetadataTableRace,
    );

    // Assert
    await expect(started).rejects.toBe(failure);
    expect(starts).toBe(1);
  });

  it('when the metadata table race is lost every time, then it gives up after the attempts with the last failure', async () => {
    // Arrange
    let starts = 0;

    // Act
    const started = startWithRetries(
      async () => {
        starts += 1;
        throw new StartupError(`start ${starts} failed`, LOST_RACE);
      },
      3,
      lostMetadataTableRace,
    );

    // Assert
    await expect(started).rejects.toThrow('start 3 failed');
    expect(starts).toBe(3);
  });
});

// Real processes: skipped with a message only outside CI when the tools are not provisioned (CI=true throws).
const describeReal = describeWithInfra(['postgres', 'daprd']);

const POSTGRES_STATE_STORE = `apiVersion: dapr.io/v1alpha1
kind: Component
metadata:
  name: statestore
spec:
  type: state.postgresql
  version: v2
  metadata:
    - name: connectionString
      envRef: SITTER_POSTGRES_CONNECTION_STRING
`;

describeReal('sidecars on a fresh PostgreSQL', () => {
  it('when six sidecars with the PostgreSQL state store start side by side on a new cluster, then every one starts and keeps state', async () => {
    // Arrange
    const postgres = await startPostgres();
    const resources = makeTempDir('daprd-postgres');
    writeFileSync(path.join(resources, 'statestore.yaml'), POSTGRES_STATE_STORE);
    const sidecars: Daprd[] = [];

    try {
      // Act
      const starts = await Promise.allSettled(
        Array.from({ length: 6 }, (_, n) =>
          startDaprd({
            appId: `fresh-${n}`,
            resourcesPath: resources,
            postgresConnectionString: postgres.connectionString,
            readiness: 'outbound',
          }).then((sidecar) => sidecars.push(sidecar)),
        ),
      );
      const saves = await Promise.all(
        sidecars.map((sidecar) =>
          fetch(`${sidecar.httpUrl}/v1.0/state/statestore`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify([{ key: 'started', value: sidecar.appId }]),
          }).then((response) => response.status),
        ),
      );
      const read = await fetch(`${sidecars[0]!.httpUrl}/v1.0/state/statestore/started`).then((r) => r.json());

      // Assert
      expect(starts.filter((start) => start.status === 'rejected')).toEqual([]);
      expect(saves).toEqual(Array(6).fill(204));
      expect(read).toBe(sidecars[0]!.appId);
    } finally {
      await Promise.all(sidecars.map((sidecar) => sidecar.stop()));
      await postgres.stop();
      removeDir(resources);
    }
  }, 120_000);
});
