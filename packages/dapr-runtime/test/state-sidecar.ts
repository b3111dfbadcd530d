import { rmSync } from 'node:fs';
import path from 'node:path';
import { unique } from '@sitter/ports/contract/wait-for';
import {
  makeTempDir,
  startDaprd,
  startPostgres,
  startRedis,
  writeDaprResources,
  type DaprResourceOptions,
  type PostgresServer,
  type RedisServer,
} from '@sitter/infra-harness';
import { SidecarConnection } from '../src';

/** A daprd of its own for one test app id, with the state store and nothing else the test does not need. */
export interface StateSidecar {
  appId: string;
  daprHttpPort: number;
  connection: SidecarConnection;
  /** The sidecar, then its Redis or PostgreSQL, then its folder. */
  stop(): Promise<void>;
}

/**
 * `redis`: state.redis and the lock store (lock.redis) on a fresh Redis, as the system runs them.
 * `sqlite`: state.sqlite on a file of its own (a store whose transactions roll back by themselves).
 * `postgresql`: state.postgresql on a throwaway PostgreSQL cluster (transactions of its own too).
 */
export async function startStateSidecar(backend: 'redis' | 'sqlite' | 'postgresql'): Promise<StateSidecar> {
  const appId = unique(`state-${backend}`);
  const dir = makeTempDir(`dapr-${appId}`);
  let redis: RedisServer | undefined;
  let postgres: PostgresServer | undefined;
  const cleanUp = async () => {
    await redis?.stop();
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (backend === 'redis') redis = await startRedis();
    if (backend === 'postgresql') postgres = await startPostgres();
    const components: Record<typeof backend, DaprResourceOptions> = {
      redis: { components: ['stateStore', 'lockStore'] },
      sqlite: { components: ['stateStore'], stateStore: { type: 'sqlite', databaseFile: path.join(dir, 'state.db') } },
      postgresql: { components: ['stateStore'], stateStore: { type: 'postgresql' } },
    };
    const resourcesPath = writeDaprResources(path.join(dir, 'resources'), { apps: [appId], ...components[backend] });
    const sidecar = await startDaprd({
      appId,
      resourcesPath,
      redisHost: redis?.address,
      postgresConnectionString: postgres?.connectionString,
      readiness: 'outbound',
    });
    return {
      appId,
      daprHttpPort: sidecar.httpPort,
      connection: new SidecarConnection({ daprHttpPort: sidecar.httpPort }),
      async stop() {
        await sidecar.stop();
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** What a promise rejected with, or undefined if it resolved. */
export const rejectionOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
