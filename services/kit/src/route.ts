import type { Request, Response } from 'express';

export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The matched Express route pattern (`/users/:id`), never the raw URL, so metric labels and
 * log fields stay low-cardinality and free of ids or tokens. Requests that matched no route
 * (404s, requests rejected by middleware) are `unmatched`.
 *
 * Express does not expose the pattern of a parameterised mount path (`app.use('/orgs/:id', r)`);
 * `req.baseUrl` holds the concrete value there. Handlers under such mounts should set
 * `res.locals.route` to the pattern.
 */
export function routeLabel(req: Request, res: Response): string {
  const override: unknown = res.locals.route;
  if (typeof override === 'string' && override.length > 0) return override;
  const route: unknown = req.route;
  if (typeof route !== 'object' || route === null || !('path' in route)) return UNMATCHED_ROUTE;
  const pattern = patternToString(route.path);
  if (pattern === '/' && req.baseUrl) return req.baseUrl;
  return `${req.baseUrl}${pattern}`;
}

function patternToString(path: unknown): string {
  if (typeof path === 'string') return path;
  if (Array.isArray(path)) return path.map(patternToString).join('|');
  return String(path);
}
