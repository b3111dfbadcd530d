import type { TransactionOperation } from '@sitter/ports';
import type { JobDomain } from './context';
import { cellOf } from './geo-cells';
import type { Job } from './model';
import { nearbyIndexKeys } from './state';
import { pagedIndex } from './status-index';

/** As publicJob rounds them (visibility.ts): distances are measured from these. */
export const roughly = (degrees: number): number => Math.round(degrees * 100) / 100;

/** The grid cell (geo-cells.ts) of the job's public point. */
export const cellOfJob = (job: Pick<Job, 'latitude' | 'longitude'>): string =>
  cellOf(roughly(job.latitude), roughly(job.longitude));

/**
 * `jobs-near:{cell}`: the OPEN jobs of one grid cell, kept in the same bounded pages as jobs-by-status (so what a
 * createJob writes does not grow with the jobs of a busy cell), in the same transaction as the job: added when it
 * is posted or released, removed when it is reserved.
 */
export const nearbyIndexWrite = (
  domain: Pick<JobDomain, 'store' | 'jobIndexPageSize'>,
  job: Job,
  joins: boolean,
): Promise<TransactionOperation[]> => {
  const index = pagedIndex(domain, nearbyIndexKeys(cellOfJob(job)));
  return joins ? index.insert(job) : index.remove(job);
};
