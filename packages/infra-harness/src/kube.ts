import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import {
  freePorts,
  launch,
  makeTempDir,
  removeDir,
  startWithRetries,
  waitUntilReady,
  type ManagedProcess,
} from './processes';
import { locateTool } from './tools';

/**
 * A Kubernetes control plane on loopback, from the binaries tools/kube/build.sh builds: etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler, and kwok, which plays the kubelet of fake nodes (Pods are scheduled
 * onto them and reported Running and Ready; no container runs). Authentication is one static admin token.
 */
export interface KubeControlPlane {
  /** https://127.0.0.1:<port> */
  readonly server: string;
  /** A kubeconfig for helm and kubectl, with the admin token (the serving certificate is self-signed). */
  readonly kubeconfig: string;
  /** The fake nodes' names. */
  readonly nodes: readonly string[];
  /** A call to the API server as the admin; answers the status and the parsed JSON body. */
  request<T = unknown>(method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

export interface StartKubeOptions {
  /** How many fake nodes kwok runs (default 2). */
  nodes?: number;
  startupTimeoutMs?: number;
}

const SERVICE_CIDR = '10.96.0.0/16';
const POD_CIDR = '10.244.0.0/16';

function kubeconfigYaml(server: string, token: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: local',
    '    cluster:',
    `      server: ${server}`,
    // The API server's certificate is the one it generated for itself; the connection never leaves loopback.
    '      insecure-skip-tls-verify: true',
    'users:',
    '  - name: admin',
    '    user:',
    `      token: ${token}`,
    'contexts:',
    '  - name: local',
    '    context:',
    '      cluster: local',
    '      user: admin',
    'current-context: local',
    '',
  ].join('\n');
}

function apiRequest<T>(
  server: string,
  token: string,
  method: string,
  apiPath: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = https.request(
      `${server}${apiPath}`,
      {
        method,
        rejectUnauthorized: false,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
        timeout: 10_000,
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // Not JSON (e.g. /readyz answers "ok"): the text as is.
          }
          resolve({ status: response.statusCode ?? 0, body: parsed as T });
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${method} ${apiPath} timed out`)));
    request.on('error', reject);
    if (payload !== undefined) request.write(payload);
    request.end();
  });
}

/** A fake node kwok manages: large enough for any test's Pods, in one of two zones. */
const fakeNode = (name: string, index: number) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name,
    annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
    labels: {
      type: 'kwok',
      'kubernetes.io/hostname': name,
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'topology.kubernetes.io/zone': `zone-${index % 2}`,
    },
  },
  status: {
    allocatable: { cpu: '32', memory: '256Gi', pods: '110' },
    capacity: { cpu: '32', memory: '256Gi', pods: '110' },
  },
});

/** Starts etcd, the API server, the controller manager, the scheduler and kwok with its fake nodes. */
export function startKubeControlPlane(options: StartKubeOptions = {}): Promise<KubeControlPlane> {
  const bin = locateTool('kube');
  const timeoutMs = options.startupTimeoutMs ?? 120_000;
  const nodeNames = Array.from({ length: options.nodes ?? 2 }, (_, index) => `kwok-node-${index}`);
  return startWithRetries(async () => {
    const dir = makeTempDir('kube');
    const started: ManagedProcess[] = [];
    const stopAll = async () => {
      for (const proc of [...started].reverse()) await proc.stop(10_000);
      removeDir(dir);
    };
    try {
      const [etcdClient, etcdPeer, apiPort, controllerPort, schedulerPort, kwokPort] = await freePorts(6);
      const token = randomBytes(24).toString('hex');
      const server = `https://127.0.0.1:${apiPort}`;
      const kubeconfig = path.join(dir, 'kubeconfig');
      writeFileSync(kubeconfig, kubeconfigYaml(server, token), { mode: 0o600 });
      writeFileSync(path.join(dir, 'tokens.csv'), `${token},admin,admin,system:masters\n`, { mode: 0o600 });
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const saKey = path.join(dir, 'sa.key');
      const saPub = path.join(dir, 'sa.pub');
      writeFileSync(saKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
      writeFileSync(saPub, publicKey.export({ type: 'spki', format: 'pem' }));
      const request = <T>(method: string, apiPath: string, body?: unknown) =>
        apiRequest<T>(server, token, method, apiPath, body);
      const logFile = (name: string) => path.join(dir, `${name}.log`);

      const etcdUrl = `http://127.0.0.1:${etcdClient}`;
      const peerUrl = `http://127.0.0.1:${etcdPeer}`;
      const etcd = launch(
        'etcd',
        path.join(bin, 'etcd'),
        [
          '--name=default',
          `--data-dir=${path.join(dir, 'etcd')}`,
          `--listen-client-urls=${etcdUrl}`,
          `--advertise-client-urls=${etcdUrl}`,
          `--listen-peer-urls=${peerUrl}`,
          `--initial-advertise-peer-urls=${peerUrl}`,
          `--initial-cluster=default=${peerUrl}`,
          // A throwaway store: durability costs fsyncs and buys nothing here.
          '--unsafe-no-fsync',
          '--log-level=warn',
        ],
        { logFile: logFile('etcd'), logOnly: true },
      );
      started.push(etcd);
      await waitUntilReady(etcd, 'a healthy etcd', async () => (await fetch(`${etcdUrl}/health`)).ok, timeoutMs);

      const apiserver = launch(
        'kube-apiserver',
        path.join(bin, 'kube-apiserver'),
        [
          `--etcd-servers=${etcdUrl}`,
          '--bind-address=127.0.0.1',
          '--advertise-address=127.0.0.1',
          `--secure-port=${apiPort}`,
          `--cert-dir=${path.join(dir, 'certs')}`,
          `--token-auth-file=${path.join(dir, 'tokens.csv')}`,
          '--authorization-mode=RBAC',
          '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
          `--service-account-key-file=${saPub}`,
          `--service-account-signing-key-file=${saKey}`,
          `--service-cluster-ip-range=${SERVICE_CIDR}`,
          '--endpoint-reconciler-type=none',
          // The 1 m default was seen running out on a loaded 2-core machine ("request did not complete within
          // requested timeout" during helm install); a slow answer is better than a failed test here.
          '--request-timeout=3m',
          '--v=0',
        ],
        { logFile: logFile('kube-apiserver'), logOnly: true },
      );
      started.push(apiserver);
      await waitUntilReady(
        apiserver,
        'a ready API server',
        async () => (await request('GET', '/readyz')).status === 200,
        timeoutMs,
      );

      const controllerManager = launch(
        'kube-controller-manager',
        path.join(bin, 'kube-controller-manager'),
        [
          `--kubeconfig=${kubeconfig}`,
          `--authentication-kubeconfig=${kubeconfig}`,
          `--authorization-kubeconfig=${kubeconfig}`,
          '--bind-address=127.0.0.1',
          `--secure-port=${controllerPort}`,
          '--leader-elect=false',
          `--service-account-private-key-file=${saKey}`,
          `--cluster-cidr=${POD_CIDR}`,
          `--service-cluster-ip-range=${SERVICE_CIDR}`,
          '--use-service-account-credentials=false',
          // No cloud, no volumes and no pod network here: their controllers would only log that they cannot work.
          '--controllers=*,-cloud-node-lifecycle-controller,-node-ipam-controller,-node-route-controller,-service-lb-controller,-persistentvolume-attach-detach-controller',
          '--v=0',
        ],
        { logFile: logFile('kube-controller-manager'), logOnly: true },
      );
      started.push(controllerManager);
      const scheduler = launch(
        'kube-scheduler',
        path.join(bin, 'kube-scheduler'),
        [
          `--kubeconfig=${kubeconfig}`,
          `--authentication-kubeconfig=${kubeconfig}`,
          `--authorization-kubeconfig=${kubeconfig}`,
          '--bind-address=127.0.0.1',
          `--secure-port=${schedulerPort}`,
          '--leader-elect=false',
          '--v=0',
        ],
        { logFile: logFile('kube-scheduler'), logOnly: true },
      );
      started.push(scheduler);
      const kwok = launch(
        'kwok',
        path.join(bin, 'kwok'),
        [
          `--kubeconfig=${kubeconfig}`,
          '--manage-all-nodes=false',
          '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
          `--cidr=${POD_CIDR.replace('.0.0/16', '.0.1/16')}`,
          '--node-ip=127.0.0.1',
          `--server-address=127.0.0.1:${kwokPort}`,
        ],
        { logFile: logFile('kwok'), logOnly: true },
      );
      started.push(kwok);

      for (const [index, name] of nodeNames.entries()) {
        const created = await request('POST', '/api/v1/nodes', fakeNode(name, index));
        if (created.status !== 201) throw new Error(`creating node ${name}: ${JSON.stringify(created.body)}`);
      }
      const nodesReady = async () => {
        const { body } = await request<{
          items: { status?: { conditions?: { type: string; status: string }[] } }[];
        }>('GET', '/api/v1/nodes');
        const ready = (body.items ?? []).filter((node) =>
          node.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True'),
        );
        return ready.length === nodeNames.length;
      };
      await waitUntilReady(kwok, 'ready fake nodes', nodesReady, timeoutMs);
      // The token controller gives every namespace its default ServiceAccount, which Pod admission needs.
      await waitUntilReady(
        controllerManager,
        'the default ServiceAccount',
        async () => (await request('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200,
        timeoutMs,
      );
      if (scheduler.hasExited()) throw new Error(`kube-scheduler exited:\n${scheduler.output()}`);

      return { server, kubeconfig, nodes: nodeNames, request, stop: stopAll };
    } catch (error) {
      await stopAll();
      throw error;
    }
  });
}
