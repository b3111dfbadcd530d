import { BookingRoutes, eventRoutes, JobRoutes, routePath, UserRoutes, type Route } from '../src';

describe('routes', () => {
  it('when a route has path parameters, then routePath puts each value in its place, URI-encoded', () => {
    // Act
    const path = routePath(JobRoutes.releaseReservation, { id: 'j/1', applicationId: 'a 2' });

    // Assert
    expect(path).toBe('/jobs/j%2F1/reservations/a%202');
  });

  it('when a query is given, then routePath appends the values that are set and leaves out null and undefined', () => {
    // Act
    const path = routePath(JobRoutes.listJobs, {}, { status: 'OPEN', limit: 5, after: null, extra: undefined });

    // Assert
    expect(path).toBe('/jobs?status=OPEN&limit=5');
  });

  it('when a path parameter has no value, then routePath throws naming it', () => {
    // Act
    const build = () => routePath(UserRoutes.getUser, {});

    // Assert
    expect(build).toThrow('GET /users/:username: no value for :username');
  });

  it('when two routes of one service share a method, then their paths differ (no route shadows another)', () => {
    // Arrange
    const catalogues: Record<string, Route>[] = [UserRoutes, JobRoutes, BookingRoutes];

    // Act
    const clashes = catalogues.flatMap((catalogue) => {
      const keys = Object.values(catalogue).map((route) => `${route.method} ${route.path}`);
      return keys.filter((key, index) => keys.indexOf(key) !== index);
    });

    // Assert
    expect(clashes).toEqual([]);
  });

  it('when a service records events, then its catalogue has the events API under its own app id', () => {
    // Act
    const routes = [UserRoutes, JobRoutes, BookingRoutes].map((catalogue) => catalogue.eventsByType);

    // Assert
    expect(routes.map((route) => route.appId)).toEqual(['user', 'job', 'booking']);
    expect(routes.every((route) => route.path === eventRoutes('user').eventsByType.path)).toBe(true);
  });
});
