import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { brokerAnswers } from './kafka-admin';
import { freePorts, launch, makeTempDir, removeDir, startWithRetries, waitUntilReady } from './processes';
import { locateTool } from './tools';

const execFileAsync = promisify(execFile);

export interface KafkaBroker {
  /** host:port of the broker listener, as Dapr's pubsub.kafka `brokers` wants it. */
  readonly brokers: string;
  readonly port: number;
  readonly controllerPort: number;
  readonly pid: number;
  /** Resolves once the broker has exited (stopped, or killed), with how. */
  readonly exited: Promise<string>;
  stop(): Promise<void>;
}

export interface StartKafkaOptions {
  /** Fixed broker and controller ports instead of free ones. */
  port?: number;
  controllerPort?: number;
  /**
   * Off by default, as in production: the project creates its topics explicitly (createTopics) with their
   * partition counts, and a publish to an unknown topic fails instead of creating a one-partition topic.
   */
  autoCreateTopics?: boolean;
  /** Keep running after this process exits (infra:up); output goes to dataDir/kafka.log. */
  detached?: boolean;
  /** Where the broker keeps its log; a fresh temporary folder, removed on stop, when not given. */
  dataDir?: string;
  /**
   * Keep the topics, their messages and the consumer groups' offsets in dataDir across restarts: the storage is
   * formatted only the first time. Off by default: each start formats it afresh.
   */
  persist?: boolean;
  /** JVM heap ceiling, e.g. '512m'. */
  maxHeap?: string;
  startupTimeoutMs?: number;
}

function serverProperties(dir: string, port: number, controllerPort: number, autoCreateTopics: boolean): string {
  return [
    '# Single-node KRaft broker and controller on loopback, for tests and local development.',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${path.join(dir, 'data')}`,
    'num.partitions=1',
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=4',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=4',
    // Consumers join at once instead of waiting 3 s for more members: groups here have one member.
    'group.initial.rebalance.delay.ms=0',
    `auto.create.topics.enable=${autoCreateTopics}`,
    'delete.topic.enable=true',
    'num.network.threads=2',
    'num.io.threads=2',
    'background.threads=2',
    'log.cleaner.enable=false',
    '',
  ].join('\n');
}

function javaArgs(kafkaHome: string, dir: string, maxHeap: string, mainClass: string, args: string[]): string[] {
  return [
    '-Xms64m',
    `-Xmx${maxHeap}`,
    // Start-up speed over peak throughput: these brokers live for one test run on a small machine.
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-Djava.awt.headless=true',
    `-Dlog4j.configuration=file:${path.join(kafkaHome, 'config', 'log4j.properties')}`,
    `-Dkafka.logs.dir=${path.join(dir, 'logs')}`,
    '-cp',
    path.join(kafkaHome, 'libs', '*'),
    mainClass,
    ...args,
  ];
}

/** Starts a single-node KRaft Kafka (broker + controller, no ZooKeeper) on free loopback ports. */
export function startKafka(options: StartKafkaOptions = {}): Promise<KafkaBroker> {
  const kafkaHome = locateTool('kafka');
  const maxHeap = options.maxHeap ?? '512m';
  return startWithRetries(async () => {
    const [freeA, freeB] = await freePorts(2);
    const port = options.port ?? freeA;
    const controllerPort = options.controllerPort ?? freeB;
    const ownsDir = options.dataDir === undefined;
    const dir = options.dataDir ?? makeTempDir('kafka');
    const config = path.join(dir, 'server.properties');
    writeFileSync(config, serverProperties(dir, port, controllerPort, options.autoCreateTopics ?? false));

    // A formatted storage directory holds meta.properties; formatting it again would fail (or, forced, lose it all).
    const formatted = options.persist === true && existsSync(path.join(dir, 'data', 'meta.properties'));
    try {
      if (!formatted)
        await execFileAsync(
          'java',
          javaArgs(kafkaHome, dir, '256m', 'kafka.tools.StorageTool', ['format', '-t', randomUUID(), '-c', config]),
          { maxBuffer: 16 * 1024 * 1024 },
        );
    } catch (error) {
      if (ownsDir) removeDir(dir);
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`kafka storage format failed: ${(error as Error).message}\n${stderr ?? ''}${stdout ?? ''}`);
    }

    const proc = launch('kafka', 'java', javaArgs(kafkaHome, dir, maxHeap, 'kafka.Kafka', [config]), {
      detached: options.detached,
      logFile: path.join(dir, 'kafka.log'),
    });
    const brokers = `127.0.0.1:${port}`;
    const stop = async () => {
      await proc.stop(15_000);
      if (ownsDir) removeDir(dir);
    };
    try {
      await waitUntilReady(proc, 'broker metadata', () => brokerAnswers(brokers), options.startupTimeoutMs ?? 60_000);
    } catch (error) {
      await stop();
      throw error;
    }
    return { brokers, port, controllerPort, pid: proc.pid, exited: proc.exited, stop };
  });
}
