import type { Container } from '../container.ts';
import { accountRoutes } from './account-routes.ts';
import { authRoutes } from './auth-routes.ts';
import { roleRoutes } from './role-routes.ts';
import { mfaRoutes } from './mfa-routes.ts';
import { oidcRoutes } from './oidc-routes.ts';
import type { RouteDef } from '@ums/service-kit/route-table';
import { selfServiceRoutes } from './self-service-routes.ts';
import { sessionRoutes } from './session-routes.ts';
import { wellKnownRoutes } from './well-known-routes.ts';

/**
 * The service's complete route table. Each feature contributes its routes here; the same list
 * is mounted, documented in OpenAPI and checked by the route x role access test.
 */
export function allRoutes(c: Container): RouteDef[] {
  return [
    ...accountRoutes(c),
    ...authRoutes(c),
    ...selfServiceRoutes(c),
    ...roleRoutes(c),
    ...mfaRoutes(c),
    ...oidcRoutes(c),
    ...sessionRoutes(c),
    ...wellKnownRoutes(c),
  ];
}
