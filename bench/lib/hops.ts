import { AppIds, Components, Headers } from '@sitter/contracts';
import type { RunningDaprSystem } from '@sitter/system/dapr';
import { fetchOk, serialLatency, type SerialFigures } from './load';

/** One step of the Dapr read path, timed on its own: what it adds is its p50 minus the previous row's. */
export interface Hop {
  name: string;
  /** What the call goes through, client first. */
  path: string;
  figures: SerialFigures;
}

/**
 * The gateway's `getJob` taken apart: the same read from the inside out, one call at a time on one keep-alive
 * connection, so that each row adds one hop to the row above it. The job app answered directly stands for "a direct
 * HTTP call between two apps"; through the gateway's daprd is the same call through two sidecars.
 */
export const measureHops = async (
  system: RunningDaprSystem,
  getJob: { jobId: string; username: string; graphql: () => Promise<void> },
  count: number,
): Promise<Hop[]> => {
  const app = (appId: string) => {
    const found = system.apps.find((each) => each.appId === appId);
    if (!found) throw new Error(`no ${appId} in the Dapr run`);
    return found;
  };
  const job = app(AppIds.job);
  const gateway = app(AppIds.gateway);
  const jobSidecar = `http://127.0.0.1:${job.sidecar.httpPort}`;
  const gatewaySidecar = `http://127.0.0.1:${gateway.sidecar.httpPort}`;
  const caller = { [Headers.callerUsername]: getJob.username, [Headers.callerRoles]: 'PARENT' };
  const jobPath = `/jobs/${encodeURIComponent(getJob.jobId)}`;
  const steps: [string, string, () => Promise<void>][] = [
    [
      'no-op on a sidecar',
      "client → gateway's daprd (/v1.0/healthz/outbound)",
      () => fetchOk(`${gatewaySidecar}/v1.0/healthz/outbound`),
    ],
    [
      'state get',
      "client → job's daprd → Redis",
      () => fetchOk(`${jobSidecar}/v1.0/state/${Components.stateStore}/${encodeURIComponent(`job:${getJob.jobId}`)}`),
    ],
    [
      'job app, direct HTTP',
      "client → job app → job's daprd → Redis",
      () => fetchOk(`http://127.0.0.1:${job.appPort}${jobPath}`, { headers: caller }),
    ],
    [
      "through job's daprd",
      "client → job's daprd → job app → …",
      () => fetchOk(`${jobSidecar}/v1.0/invoke/${AppIds.job}/method${jobPath}`, { headers: caller }),
    ],
    [
      'through two sidecars',
      "client → gateway's daprd → job's daprd → job app → …",
      () => fetchOk(`${gatewaySidecar}/v1.0/invoke/${AppIds.job}/method${jobPath}`, { headers: caller }),
    ],
    ['gateway getJob', 'client → gateway (GraphQL, JWT) → its daprd → …', getJob.graphql],
  ];
  const hops: Hop[] = [];
  for (const [name, path, call] of steps) hops.push({ name, path, figures: await serialLatency(call, count) });
  return hops;
};
