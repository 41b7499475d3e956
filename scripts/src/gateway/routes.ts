// The prefix table is @ums/contracts/paths, which the Kubernetes Ingress routes by as well: the
// local gateway must route exactly like the cluster does, so services can be developed against
// either without changes.
import {
  gatewayNamespaces,
  serviceNames,
  servicePathPrefixes,
  type ServiceName,
} from '@ums/contracts/paths';

export interface RouteEntry {
  readonly prefix: string;
  readonly service: ServiceName;
}

export const ROUTES: readonly RouteEntry[] = Object.freeze(
  serviceNames.flatMap((service) =>
    servicePathPrefixes[service].map((prefix) => ({ prefix, service })),
  ),
);

/**
 * Ingress-style `Prefix` match on whole path segments (case-sensitive): `/api/v1/auth` matches
 * `/api/v1/auth` and `/api/v1/auth/...` but never `/api/v1/authx`. Takes a pathname (no query).
 */
export function matchRoute(path: string): RouteEntry | undefined {
  return ROUTES.find((route) => path === route.prefix || path.startsWith(`${route.prefix}/`));
}

/**
 * Path namespaces the gateway owns whole (`gatewayNamespaces`, segment match like `matchRoute`):
 * a path in one of them that neither a route nor the gateway itself serves is a 404 from the
 * gateway, never handed to the web app. The web app's dev server proxies these namespaces back
 * to the gateway, so handing such a path on would bounce it between the two until sockets run out.
 */
export function inGatewayNamespace(path: string): boolean {
  return gatewayNamespaces.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}
