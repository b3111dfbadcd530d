import { AppIds, type AppId } from './app-ids';

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The `:name` segments of an Express-style path, as a union of names (never for none). */
export type RouteParamNames<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? Name | RouteParamNames<`/${Rest}`>
  : Path extends `${string}:${infer Name}`
    ? Name
    : never;

/** One route of a service's invocation API: the service that serves it, its method and its path. */
export interface Route<Method extends RouteMethod = RouteMethod, Path extends string = string> {
  readonly appId: AppId;
  readonly method: Method;
  readonly path: Path;
}

/** A value for each `:name` of the route's path. */
export type RouteParams<R extends Route> = Record<RouteParamNames<R['path']>, string>;

/** Query parameters; undefined and null ones are left out. */
export type RouteQuery = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** What a call of the route sends: a value for each path parameter (if it has any), a query, a body. */
export type RouteInput<R extends Route> = ([RouteParamNames<R['path']>] extends [never]
  ? { params?: undefined }
  : { params: RouteParams<R> }) & { query?: RouteQuery; body?: unknown };

/** The input as an argument: optional for a route without path parameters. */
export type RouteArgs<R extends Route> = [RouteParamNames<R['path']>] extends [never]
  ? [input?: RouteInput<R>]
  : [input: RouteInput<R>];

const route = <Method extends RouteMethod, Path extends string>(
  appId: AppId,
  method: Method,
  path: Path,
): Route<Method, Path> => ({ appId, method, path });

/**
 * The path to call: each `:name` replaced by its value, URI-encoded, then the query string. A parameter without a
 * value is an error of the caller's code, not of its input.
 */
export const routePath = (
  target: Route,
  params: Readonly<Record<string, string>> = {},
  query: RouteQuery = {},
): string => {
  const path = target.path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${target.method} ${target.path}: no value for :${name}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    if (value !== undefined && value !== null) search.set(name, String(value));
  const text = search.toString();
  return text ? `${path}?${text}` : path;
};

/** The events API every service that records events serves (see @sitter/ports' event log). */
export const eventRoutes = (appId: AppId) => ({
  eventsByEntity: route(appId, 'GET', '/domain-events/by-entity/:entity/:entityId'),
  eventsByType: route(appId, 'GET', '/domain-events/by-type/:type'),
});

/**
 * Every route one service calls on another, defined once: the service serves exactly these (its operations spread
 * them) and every caller names one of them instead of writing a path.
 */
export const UserRoutes = {
  createUser: route(AppIds.user, 'POST', '/users'),
  getUser: route(AppIds.user, 'GET', '/users/:username'),
  updateUser: route(AppIds.user, 'PATCH', '/users/:username'),
  setUserStatus: route(AppIds.user, 'PUT', '/users/:username/status'),
  ...eventRoutes(AppIds.user),
} as const;

export const JobRoutes = {
  createJob: route(AppIds.job, 'POST', '/jobs'),
  listJobs: route(AppIds.job, 'GET', '/jobs'),
  listJobsNear: route(AppIds.job, 'GET', '/jobs-near'),
  queryJobs: route(AppIds.job, 'POST', '/jobs/queries'),
  getJob: route(AppIds.job, 'GET', '/jobs/:id'),
  applyToJob: route(AppIds.job, 'POST', '/jobs/:id/applications'),
  listJobApplications: route(AppIds.job, 'GET', '/jobs/:id/applications'),
  queryJobApplications: route(AppIds.job, 'POST', '/jobs/:id/applications/queries'),
  listNannyApplications: route(AppIds.job, 'GET', '/nannies/:username/applications'),
  reserveApplication: route(AppIds.job, 'POST', '/jobs/:id/reservations'),
  releaseReservation: route(AppIds.job, 'DELETE', '/jobs/:id/reservations/:applicationId'),
  declineApplication: route(AppIds.job, 'POST', '/applications/:id/decline'),
  ...eventRoutes(AppIds.job),
} as const;

export const BookingRoutes = {
  bookNanny: route(AppIds.booking, 'POST', '/bookings'),
  listBookings: route(AppIds.booking, 'GET', '/bookings'),
  queryBookings: route(AppIds.booking, 'POST', '/bookings/queries'),
  getBooking: route(AppIds.booking, 'GET', '/bookings/:id'),
  cancelBooking: route(AppIds.booking, 'POST', '/bookings/:id/cancellation'),
  ...eventRoutes(AppIds.booking),
} as const;
