import {
  cellOf,
  cellsWithin,
  createJob,
  distanceKm,
  listJobsNear,
  applyToJob,
  reserveApplication,
  type Job,
} from '../../src/domain';
import { expectAppError, jobInput, nanny, parent, testDomain, withAccount } from '../support/domain';

type Domain = ReturnType<typeof testDomain>;

const postAt = async (domain: Domain, latitude: number, longitude: number): Promise<Job> =>
  createJob(domain, withAccount(domain, parent()), jobInput({ latitude, longitude }));

const near = (
  domain: Domain,
  latitude: number,
  longitude: number,
  radiusKm: number,
  extra: Record<string, unknown> = {},
) =>
  listJobsNear(domain, undefined, {
    latitude: String(latitude),
    longitude: String(longitude),
    radiusKm: String(radiusKm),
    ...extra,
  });

const ids = (items: ReadonlyArray<{ id: string }>) => items.map((item) => item.id);

describe('listJobsNear', () => {
  it('when open jobs lie at several distances, then the ones within the radius come nearest first with their distance', async () => {
    const domain = testDomain();
    const far = await postAt(domain, 54.25, -1.55); // about 50 km north
    const middle = await postAt(domain, 53.98, -1.55); // about 20 km
    const close = await postAt(domain, 53.85, -1.55); // about 5.6 km
    await postAt(domain, 56.5, -1.55); // about 300 km: outside
    const booked = await postAt(domain, 53.81, -1.55);
    const application = await applyToJob(domain, withAccount(domain, nanny()), booked.id);
    await reserveApplication(domain, { username: booked.owner, roles: ['PARENT'] }, booked.id, {
      applicationId: application.id,
    });

    const page = await near(domain, 53.8, -1.55, 100);

    expect(ids(page.items)).toEqual(ids([close, middle, far]));
    expect(page.items.map((item) => item.distanceKm)).toEqual(
      [close, middle, far].map((job) => distanceKm(53.8, -1.55, job.latitude, job.longitude)),
    );
    expect(page.cursor).toBeNull();
  });

  it('when a job lies exactly on the radius, then it is inside; a metre less and it is out', async () => {
    const domain = testDomain();
    const job = await postAt(domain, 51.51, -0.13);
    const exact = distanceKm(51.3, -0.5, 51.51, -0.13);

    const on = await near(domain, 51.3, -0.5, exact);
    const inside = await near(domain, 51.3, -0.5, exact - 0.001);

    expect(ids(on.items)).toEqual([job.id]);
    expect(inside.items).toEqual([]);
  });

  it('when the circle crosses the antimeridian, then jobs on the other side are found', async () => {
    const domain = testDomain();
    const east = await postAt(domain, -17.5, 179.95);
    const west = await postAt(domain, -17.5, -179.9);

    const fromEast = await near(domain, -17.5, 179.8, 40);
    const fromWest = await near(domain, -17.5, -179.95, 40);

    expect(ids(fromEast.items)).toEqual([east.id, west.id]);
    expect(ids(fromWest.items)).toEqual([west.id, east.id]);
  });

  it.each([
    ['north', 90, 89.85],
    ['south', -90, -89.85],
  ])('when the circle holds the %s pole, then jobs all around it are found', async (_pole, pole, ring) => {
    const domain = testDomain();
    const around = [];
    for (const longitude of [-170, -60, 0, 75, 180]) around.push(await postAt(domain, ring, longitude));

    const fromPole = await near(domain, pole, 0, 20);
    const acrossPole = await near(domain, ring, 0, 40);

    expect(new Set(ids(fromPole.items))).toEqual(new Set(ids(around)));
    expect(fromPole.items.every((item) => Math.abs(item.distanceKm - 16.68) < 0.1)).toBe(true);
    expect(ids(acrossPole.items)).toContain(around[4].id);
  });

  it('when jobs are paged and a nearer one is posted between pages, then the pages neither skip nor repeat', async () => {
    const domain = testDomain();
    const jobs = [
      await postAt(domain, 53.81, -1.55),
      await postAt(domain, 53.9, -1.55),
      await postAt(domain, 54.0, -1.55),
    ];
    const first = await near(domain, 53.8, -1.55, 50, { limit: '2' });

    await postAt(domain, 53.8, -1.55);
    const second = await near(domain, 53.8, -1.55, 50, { limit: '2', after: first.cursor });

    expect(ids(first.items)).toEqual(ids(jobs.slice(0, 2)));
    expect(ids(second.items)).toEqual([jobs[2].id]);
    expect(second.cursor).toBeNull();
  });

  it('when there is no caller, then jobs come without their address and with rounded coordinates', async () => {
    const domain = testDomain();
    await postAt(domain, 53.80123, -1.55456);

    const page = await near(domain, 53.8, -1.55, 10);

    expect(page.items[0]).not.toHaveProperty('address');
    expect(page.items[0]).toMatchObject({ latitude: 53.8, longitude: -1.55 });
  });

  it.each([
    ['radiusKm', { radiusKm: '0' }],
    ['radiusKm', { radiusKm: '-5' }],
    ['radiusKm', { radiusKm: '200.01' }],
    ['latitude', { latitude: '90.5' }],
    ['longitude', { longitude: '-181' }],
    ['afterCursor', { after: 'not-a-cursor!' }],
  ])('when %s is out of bounds, then it is BAD_USER_INPUT naming it', async (field, overrides) => {
    const domain = testDomain();

    await expectAppError(
      listJobsNear(domain, undefined, { latitude: '53.8', longitude: '-1.55', radiusKm: '10', ...overrides }),
      'BAD_USER_INPUT',
      field,
    );
  });
});

describe('the nearby grid', () => {
  /** A point at `distance` km from (lat, lon) in direction `bearing` (degrees), on the sphere. */
  const destination = (lat: number, lon: number, distance: number, bearing: number): [number, number] => {
    const toRad = Math.PI / 180;
    const angle = distance / 6371.0088;
    const phi = lat * toRad;
    const theta = bearing * toRad;
    const phi2 = Math.asin(Math.sin(phi) * Math.cos(angle) + Math.cos(phi) * Math.sin(angle) * Math.cos(theta));
    const lambda2 =
      lon * toRad +
      Math.atan2(Math.sin(theta) * Math.sin(angle) * Math.cos(phi), Math.cos(angle) - Math.sin(phi) * Math.sin(phi2));
    const wrapped = ((((lambda2 / toRad + 180) % 360) + 360) % 360) - 180;
    return [phi2 / toRad, wrapped];
  };

  it.each([
    ['the equator', 0, 0],
    ['the antimeridian', 10, 179.99],
    ['the other side of it', -40, -179.99],
    ['near the north pole', 89.7, 30],
    ['the north pole', 90, 0],
    ['near the south pole', -89.9, -100],
  ])('when a circle is centred at %s, then its cells hold every point within it', (_where, lat, lon) => {
    for (const radius of [1, 30, 200]) {
      const cells = new Set(cellsWithin(lat, lon, radius));
      for (let bearing = 0; bearing < 360; bearing += 7.5) {
        for (const fraction of [0.25, 0.5, 0.999]) {
          const [pointLat, pointLon] = destination(lat, lon, radius * fraction, bearing);

          expect(cells.has(cellOf(pointLat, pointLon))).toBe(true);
        }
      }
    }
  });

  it('when the radius is the largest allowed, then a circle away from the poles touches fewer than 100 cells', () => {
    const cells = cellsWithin(53.8, -1.55, 200);

    expect(cells.length).toBeLessThan(100);
  });
});
