import type { Job } from './model';

/**
 * A job as everyone but its owner, admins and its booked nanny sees it. The address is where
 * children are looked after, and the dates say when the parents are out, so it is left out and
 * the coordinates are rounded to 0.01° (about 1 km): enough to judge the distance, not to find
 * the door. The city stays.
 */
export type PublicJob = Omit<Job, 'address'>;

const roughly = (degrees: number): number => Math.round(degrees * 100) / 100;

export const publicJob = (job: Job): PublicJob => {
  const { address: _address, ...rest } = job;
  void _address;
  return { ...rest, latitude: roughly(job.latitude), longitude: roughly(job.longitude) };
};
