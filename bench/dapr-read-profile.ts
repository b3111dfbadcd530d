import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphqlLoad } from './lib/load';
import { nowMicros, profilePid, summarise, type Profile } from './lib/profile';
import { GET_JOB, parentWithJob } from './lib/sitter';
import { startDapr } from './lib/targets';

/**
 * Where the Dapr read path spends its CPU: starts the Dapr system with every node app under --cpu-prof, loads the
 * gateway's getJob for PROFILE_SECONDS (10) on 20 connections, stops the system (each app writes its profile as it
 * exits) and prints, per app and counting only the samples taken during the load, the functions with the most self time and the share by package. The profiles stay in
 * the printed folder (open them in Chrome DevTools). Run: npx tsx bench/dapr-read-profile.ts
 */
const SECONDS = Number(process.env.PROFILE_SECONDS ?? 10);
const TOP = Number(process.env.PROFILE_TOP ?? 25);
const PROFILED = ['gateway', 'job'];
const LOG_TAIL_LINES = 15;

const main = async () => {
  const profileDir = await mkdtemp(join(tmpdir(), 'sitter-profile-'));
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --cpu-prof --cpu-prof-dir=${profileDir}`.trim();
  // A data folder of its own: the apps' logs (in it) say why an app left no profile.
  const dataDir = await mkdtemp(join(tmpdir(), 'sitter-profile-data-'));
  const target = await startDapr(dataDir);
  delete process.env.NODE_OPTIONS;
  const logFiles = new Map(target.system.apps.map((app) => [app.name, app.logFile]));
  const names = new Map(Object.entries(target.pids()).map(([name, pid]) => [pid, name]));
  const endings = new Map<string, Promise<string>>();
  let requests = 0;
  const window = { from: 0, to: 0 };
  try {
    const { jobId, headers } = await parentWithJob(target);
    window.from = nowMicros();
    const figures = await graphqlLoad(
      { url: target.url, query: GET_JOB, variables: { id: jobId }, headers },
      { connections: 20, seconds: SECONDS },
    );
    window.to = nowMicros();
    requests = figures.requestsPerSecond * SECONDS;
    console.log(`getJob on Dapr, 20 connections, ${SECONDS} s: ${JSON.stringify(figures)}`);
  } finally {
    // An app restarted during the load writes its profile under its new pid; how each one ended says why a profile is missing.
    for (const [name, supervised] of target.system.supervised()) {
      names.set(supervised.current.pid, name);
      if (PROFILED.includes(name)) endings.set(name, supervised.current.exited);
    }
    await target.stop();
  }
  const found = new Set<string>();
  for (const file of await readdir(profileDir)) {
    const name = names.get(profilePid(file));
    if (name === undefined || !PROFILED.includes(name)) continue;
    found.add(name);
    const summary = summarise(JSON.parse(await readFile(join(profileDir, file), 'utf8')) as Profile, window, TOP);
    console.log(
      `\n${name} (${file}): ${summary.total.toFixed(0)} ms busy, ${summary.idle.toFixed(0)} ms idle; ` +
        `${((summary.total / Math.max(1, requests)) * 1000).toFixed(0)} µs per request`,
    );
    for (const [who, ms] of summary.owners) console.log(`  ${ms.toFixed(0).padStart(7)} ms  ${who}`);
    console.log('  top functions by self time:');
    for (const [fn, ms] of summary.functions) console.log(`  ${ms.toFixed(0).padStart(7)} ms  ${fn}`);
  }
  for (const name of PROFILED.filter((app) => !found.has(app))) {
    const log = await readFile(logFiles.get(name) ?? '', 'utf8').catch(() => '');
    const tail = log.trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n  ');
    console.log(`\n${name}: no profile; the process ended with ${await endings.get(name)}; its log ends:\n  ${tail}`);
  }
  await rm(dataDir, { recursive: true, force: true });
  console.log(`\nprofiles in ${profileDir}`);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
