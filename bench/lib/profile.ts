/** Reading the .cpuprofile files node writes under --cpu-prof: where a process spent its CPU during a window. */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface Profile {
  nodes: ProfileNode[];
  /** Microseconds on the monotonic clock, the one process.hrtime reads: comparable across processes. */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** ms of samples not idle, and idle, within the window. */
  total: number;
  idle: number;
  /** [function, self ms], most first. */
  functions: [string, number][];
  /** [package, self ms], most first. */
  owners: [string, number][];
}

/** The monotonic clock in microseconds, as a profile's timestamps count it. */
export const nowMicros = () => Number(process.hrtime.bigint() / 1000n);

/** The pid node put in a profile's file name (CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile). */
export const profilePid = (file: string): number => Number(file.split('.')[3]);

/** node_modules/<package> (or the workspace folder) a script belongs to; node's own for node:internal. */
const owner = (url: string): string => {
  if (url === '') return '(native / idle / gc)';
  if (url.startsWith('node:')) return 'node:internal';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1]!;
  const inRepo = /\/(packages|services)\/([^/]+)\//.exec(url);
  return inRepo ? `${inRepo[1]}/${inRepo[2]}` : url;
};

/** Self time per function and per package, counting only the samples taken within `window`. */
export const summarise = (profile: Profile, window: { from: number; to: number }, top: number): ProfileSummary => {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (at >= window.from && at <= window.to) selfMs.set(id, (selfMs.get(id) ?? 0) + delta / 1000);
  });
  const byFunction = new Map<string, number>();
  const byOwner = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, ms] of selfMs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') {
      idle += ms;
      continue;
    }
    total += ms;
    const name = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(packages|services)\//, '$1/')}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    byOwner.set(owner(url), (byOwner.get(owner(url)) ?? 0) + ms);
  }
  const most = (map: Map<string, number>, n: number) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  return { total, idle, functions: most(byFunction, top), owners: most(byOwner, 15) };
};
