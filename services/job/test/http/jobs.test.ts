import { as, deactivate, jobBody, signUp, startJobService, type JobServiceUnderTest } from '../support/http';

describe('job routes', () => {
  let service: JobServiceUnderTest;

  beforeAll(async () => {
    service = await startJobService();
  });

  afterAll(async () => {
    await service.stop();
  });

  describe('POST /jobs', () => {
    it('when a signed-up parent posts a job, then 201 and every field reads back exactly as sent', async () => {
      const owner = await signUp(service.runtime, 'PARENT');
      const body = jobBody();

      const created = await service.http.post('/jobs').set(as(owner)).send(body);
      const read = await service.http.get(`/jobs/${created.body.id}`).set(as(owner));

      expect(created.status).toBe(201);
      expect(read.status).toBe(200);
      expect(read.body).toEqual({
        ...body,
        id: created.body.id,
        owner: owner.username,
        status: 'OPEN',
        createdOn: expect.any(String),
        updatedOn: read.body.createdOn,
      });
    });

    it('when no caller is named, then 401 UNAUTHENTICATED', async () => {
      const response = await service.http.post('/jobs').send(jobBody());

      expect(response.status).toBe(401);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    });

    it('when a nanny posts a job, then 403 FORBIDDEN', async () => {
      const caller = await signUp(service.runtime, 'NANNY');

      const response = await service.http.post('/jobs').set(as(caller)).send(jobBody());

      expect(response.status).toBe(403);
      expect(response.body.code).toBe('FORBIDDEN');
    });

    it('when the parent never created a profile, then 403 asking to create it', async () => {
      const response = await service.http
        .post('/jobs')
        .set(as({ username: 'parent-without-profile', roles: ['PARENT'] }))
        .send(jobBody());

      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ code: 'FORBIDDEN', message: 'create your user profile first' });
    });

    it('when the parent account was deactivated, then 403', async () => {
      const owner = await signUp(service.runtime, 'PARENT');
      await deactivate(service.runtime, owner.username);

      const response = await service.http.post('/jobs').set(as(owner)).send(jobBody());

      expect(response.status).toBe(403);
      expect(response.body.message).toMatch(/deactivated/);
    });

    it.each([
      ['end date before start date', { startDate: '2031-07-02', endDate: '2031-07-01' }, 'endDate'],
      ['same-day end time not after start time', { endDate: '2031-07-01', endTime: '07:30' }, 'endTime'],
      ['latitude out of range', { latitude: 91 }, 'latitude'],
      ['longitude out of range', { longitude: -180.01 }, 'longitude'],
      ['negative cost', { cost: '-1.00' }, 'cost'],
      ['not a calendar date', { startDate: '2031-02-29' }, 'startDate'],
      ['empty address', { address: '' }, 'address'],
    ])('when the job has %s, then 400 BAD_USER_INPUT naming the field', async (_name, change, field) => {
      const owner = await signUp(service.runtime, 'PARENT');

      const response = await service.http.post('/jobs').set(as(owner)).send(jobBody(change));

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'BAD_USER_INPUT', field });
    });

    it('when the body is not JSON, then 400', async () => {
      const owner = await signUp(service.runtime, 'PARENT');

      const response = await service.http
        .post('/jobs')
        .set(as(owner))
        .set('content-type', 'application/json')
        .send('{"jobType":');

      expect(response.status).toBe(400);
      expect(response.body.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('GET /jobs/:id', () => {
    it('when the job does not exist, then 404 NOT_FOUND', async () => {
      const response = await service.http.get('/jobs/00000000-0000-4000-8000-000000000000');

      expect(response.status).toBe(404);
      expect(response.body.code).toBe('NOT_FOUND');
    });
  });

  describe('GET /jobs', () => {
    it('when jobs are posted between two pages, then the next page has no duplicates and nothing older is skipped', async () => {
      // A fresh service: the shared one holds jobs from other tests.
      const own = await startJobService();
      try {
        const owner = await signUp(own.runtime, 'PARENT');
        const post = async (city: string) =>
          (await own.http.post('/jobs').set(as(owner)).send(jobBody({ city }))).body.id as string;
        const older: string[] = [];
        for (const city of ['A', 'B', 'C', 'D', 'E']) older.push(await post(city));

        const first = await own.http.get('/jobs?status=OPEN&limit=3');
        for (const city of ['F', 'G', 'H']) await post(city);
        const second = await own.http.get('/jobs').query({ status: 'OPEN', limit: 3, after: first.body.cursor });

        expect(first.status).toBe(200);
        expect(first.body.items.map((job: { id: string }) => job.id)).toEqual(older.slice(2).reverse());
        expect(second.body.items.map((job: { id: string }) => job.id)).toEqual(older.slice(0, 2).reverse());
        expect(second.body.cursor).toBeNull();
      } finally {
        await own.stop();
      }
    });

    it('when the cursor is not one this service issued, then 400 naming afterCursor', async () => {
      const response = await service.http.get('/jobs').query({ after: 'garbage!' });

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'BAD_USER_INPUT', field: 'afterCursor' });
    });

    it.each([['0'], ['101'], ['many']])('when limit is %s, then 400 naming limit', async (limit) => {
      const response = await service.http.get('/jobs').query({ limit });

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'BAD_USER_INPUT', field: 'limit' });
    });
  });

  describe('when the user service cannot be reached', () => {
    it('then posting a job answers 503 UNAVAILABLE', async () => {
      const lonely = await startJobService({ withUserService: false });
      try {
        const response = await lonely.http
          .post('/jobs')
          .set(as({ username: 'some-parent', roles: ['PARENT'] }))
          .send(jobBody());

        expect(response.status).toBe(503);
        expect(response.body.code).toBe('UNAVAILABLE');
      } finally {
        await lonely.stop();
      }
    });
  });
});
