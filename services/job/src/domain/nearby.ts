import { z } from 'zod';
import { isAdmin, pageCursor, parseInput, retryOnConflict, type Actor } from '@sitter/ports';
import type { JobDomain } from './context';
import { cellsWithin, distanceKm } from './geo-cells';
import { roughly } from './nearby-index';
import type { Job } from './model';
import { Keys, nearbyIndexKeys } from './state';
import { pagedIndex } from './status-index';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './validation';
import { publicJob, type PublicJob } from './visibility';

export const MAX_RADIUS_KM = 200;

const nearSchema = z.object({
  latitude: z.coerce.number().finite().min(-90, 'must be between -90 and 90').max(90, 'must be between -90 and 90'),
  longitude: z.coerce
    .number()
    .finite()
    .min(-180, 'must be between -180 and 180')
    .max(180, 'must be between -180 and 180'),
  radiusKm: z.coerce
    .number()
    .finite()
    .positive(`must be more than 0 and at most ${MAX_RADIUS_KM}`)
    .max(MAX_RADIUS_KM, `must be more than 0 and at most ${MAX_RADIUS_KM}`),
  limit: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, `must be between 1 and ${MAX_PAGE_SIZE}`)
    .max(MAX_PAGE_SIZE, `must be between 1 and ${MAX_PAGE_SIZE}`)
    .default(DEFAULT_PAGE_SIZE),
  after: z.string().optional(),
});

/** Pages go by (distance, id): a distance is fixed by the two points, so the cursor keeps its place. */
const nearCursor = pageCursor('distanceKm');

export type NearbyJob = (Job | PublicJob) & { distanceKm: number };

export interface NearbyPage {
  items: NearbyJob[];
  cursor: string | null;
}

/** OPEN jobs within radiusKm of the point, nearest first, read from the cells the circle touches. */
export const listJobsNear = async (
  domain: JobDomain,
  actor: Actor | undefined,
  raw: Record<string, unknown>,
): Promise<NearbyPage> => {
  const query = parseInput(
    nearSchema,
    { ...raw, after: raw.after === '' ? undefined : raw.after },
    { after: 'afterCursor' },
  );
  const after = query.after === undefined ? undefined : nearCursor.decode(query.after);
  const afterDistance = after === undefined ? undefined : Number(after.distanceKm);
  // Every OPEN job in the cells the circle touches: what ordering by distance needs, and nothing outside them.
  const cells = await Promise.all(
    cellsWithin(query.latitude, query.longitude, query.radiusKm).map((cell) =>
      retryOnConflict('the nearby jobs', () =>
        pagedIndex(domain, nearbyIndexKeys(cell)).list(undefined, Number.POSITIVE_INFINITY),
      ),
    ),
  );
  const ids = cells.flatMap((cell) => cell.entries.map((entry) => entry.id));
  const found = await domain.store.getBulk<Job>(ids.map(Keys.job));
  const candidates = [...found.values()]
    .map((entry) => entry.value)
    .filter((job) => job.status === 'OPEN')
    .map((job) => ({
      job,
      id: job.id,
      distance: distanceKm(query.latitude, query.longitude, roughly(job.latitude), roughly(job.longitude)),
    }))
    .filter((entry) => entry.distance <= query.radiusKm)
    .filter(
      (entry) =>
        afterDistance === undefined ||
        entry.distance > afterDistance ||
        (entry.distance === afterDistance && after !== undefined && entry.id > after.id),
    )
    .sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const page = candidates.slice(0, query.limit);
  const items = page.map(({ job, distance }): NearbyJob => {
    const seesAll = actor !== undefined && (actor.username === job.owner || isAdmin(actor));
    return { ...(seesAll ? job : publicJob(job)), distanceKm: distance };
  });
  const last = page.at(-1);
  return {
    items,
    cursor:
      candidates.length > query.limit && last
        ? nearCursor.encode({ distanceKm: String(last.distance), id: last.id })
        : null,
  };
};
