import type express from 'express';
import type { Request } from 'express';
import { requireActor, route } from '@sitter/platform';
import {
  applyToJob,
  createJob,
  getJob,
  listJobApplications,
  listJobs,
  listNannyApplications,
  releaseReservation,
  reserveApplication,
  type JobDomain,
} from '../domain';

/** A path parameter; express types allow arrays for wildcard routes, which these routes do not have. */
const param = (req: Request, name: string): string => String(req.params[name]);

/** Reading jobs needs no identity; everything else acts for the caller the gateway named. */
export const mountJobRoutes =
  (domain: JobDomain) =>
  (app: express.Express): void => {
    app.post(
      '/jobs',
      route(async (req, res) => {
        res.status(201).json(await createJob(domain, requireActor(req), req.body));
      }),
    );
    app.get(
      '/jobs',
      route(async (req, res) => {
        const { status, limit, after } = req.query;
        res.json(await listJobs(domain, { status, limit, after }));
      }),
    );
    app.get(
      '/jobs/:id',
      route(async (req, res) => {
        res.json(await getJob(domain, param(req, 'id')));
      }),
    );
    app.post(
      '/jobs/:id/applications',
      route(async (req, res) => {
        res.status(201).json(await applyToJob(domain, requireActor(req), param(req, 'id')));
      }),
    );
    app.get(
      '/jobs/:id/applications',
      route(async (req, res) => {
        res.json(await listJobApplications(domain, requireActor(req), param(req, 'id')));
      }),
    );
    app.get(
      '/nannies/:username/applications',
      route(async (req, res) => {
        res.json(await listNannyApplications(domain, requireActor(req), param(req, 'username')));
      }),
    );
    app.post(
      '/jobs/:id/reservations',
      route(async (req, res) => {
        res.json(await reserveApplication(domain, requireActor(req), param(req, 'id'), req.body));
      }),
    );
    app.delete(
      '/jobs/:id/reservations/:applicationId',
      route(async (req, res) => {
        res.json(await releaseReservation(domain, requireActor(req), param(req, 'id'), param(req, 'applicationId')));
      }),
    );
  };
