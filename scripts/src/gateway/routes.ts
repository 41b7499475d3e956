// The prefix table is a contract shared with the Kubernetes Ingress: the local gateway must route
// exactly like the cluster does, so services can be developed against either without changes.

export const SERVICE_NAMES = ['auth', 'profile'] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface RouteEntry {
  readonly prefix: string;
  readonly service: ServiceName;
}

export const ROUTES: readonly RouteEntry[] = Object.freeze([
  { prefix: '/api/v1/auth', service: 'auth' },
  { prefix: '/api/v1/accounts', service: 'auth' },
  { prefix: '/api/v1/roles', service: 'auth' },
  { prefix: '/.well-known', service: 'auth' },
  { prefix: '/api/v1/users', service: 'profile' },
  { prefix: '/api/v1/audit-logs', service: 'profile' },
]);

/**
 * Ingress-style `Prefix` match on whole path segments (case-sensitive): `/api/v1/auth` matches
 * `/api/v1/auth` and `/api/v1/auth/...` but never `/api/v1/authx`. Takes a pathname (no query).
 */
export function matchRoute(path: string): RouteEntry | undefined {
  return ROUTES.find((route) => path === route.prefix || path.startsWith(`${route.prefix}/`));
}

/**
 * Path namespaces the gateway owns whole (segment match, like `matchRoute`): a path in one of
 * them that neither a route nor the gateway itself serves is a 404 from the gateway, never
 * handed to the web app. The web app's dev server proxies these namespaces back to the
 * gateway, so handing such a path on would bounce it between the two until sockets run out.
 */
export const GATEWAY_NAMESPACES: readonly string[] = Object.freeze([
  '/api',
  '/api-docs',
  '/.well-known',
]);

export function inGatewayNamespace(path: string): boolean {
  return GATEWAY_NAMESPACES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}
