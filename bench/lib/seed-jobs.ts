import { performance } from 'node:perf_hooks';
import { EmbeddedStateStore } from '@sitter/embedded-runtime';
import { createJob, createJobDomain } from '@sitter/job-service';
import type { Actor } from '@sitter/ports';
import { JOB, USERNAME } from './sitter';

/** What the job service wrote for `jobs` OPEN jobs, in an in-memory embedded store. */
export interface Seeded {
  jobs: number;
  store: EmbeddedStateStore;
  /** Spread over the whole range, for the getJob reads. */
  sampleIds: string[];
  newestId: string;
}

export interface SeedFigures {
  /** Creating the jobs with the job service's use case, in memory. */
  createSeconds: number;
  createJobsPerSecond: number;
  /** State records (keys) the jobs came to. */
  records: number;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The job each seeded one is made from: the bench job, spread over a 5° × 4° area so the jobs-near cells vary. */
const jobInput = (n: number) => ({
  ...JOB,
  latitude: round(50 + ((n * 7_919) % 500) / 100),
  longitude: round(-4 + ((n * 104_729) % 400) / 100),
});

/**
 * `jobs` jobs posted by USERNAME through the job service's own createJob (the job record, the jobs-by-status and
 * jobs-near pages, the JOB_POSTED event and its indexes, one transaction each), on a clock that steps
 * `spacingSeconds` per job and ends now.
 */
export const createJobs = async (
  jobs: number,
  options: { spacingSeconds: number; samples: number; progress?: (line: string) => void },
): Promise<{ seeded: Seeded; figures: SeedFigures }> => {
  const store = new EmbeddedStateStore();
  const spacingMs = options.spacingSeconds * 1000;
  let time = Date.now() - jobs * spacingMs;
  const domain = createJobDomain({
    store,
    accounts: { statusOf: () => Promise.resolve('ACTIVE') },
    clock: { now: () => new Date(time) },
  });
  const actor: Actor = { username: USERNAME, roles: ['PARENT'] };
  const sampleEvery = Math.max(1, Math.floor(jobs / options.samples));
  const sampleIds: string[] = [];
  let newestId = '';
  const started = performance.now();
  for (let n = 0; n < jobs; n++) {
    time += spacingMs;
    const job = await createJob(domain, actor, jobInput(n));
    if (n % sampleEvery === 0) sampleIds.push(job.id);
    newestId = job.id;
    if ((n + 1) % Math.max(1, Math.floor(jobs / 10)) === 0) options.progress?.(`created ${n + 1} of ${jobs} jobs`);
  }
  const createSeconds = (performance.now() - started) / 1000;
  return {
    seeded: { jobs, store, sampleIds, newestId },
    figures: {
      createSeconds: round(createSeconds),
      createJobsPerSecond: Math.round(jobs / createSeconds),
      records: store.size,
    },
  };
};
