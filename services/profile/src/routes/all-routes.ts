import type { RouteDef } from '@ums/service-kit/route-table';
import type { Container } from '../container.ts';
import { auditRoutes } from './audit-routes.ts';
import { avatarRoutes } from './avatar-routes.ts';
import { directoryRoutes } from './directory-routes.ts';
import { profileRoutes, userByIdRoute } from './profile-routes.ts';

/**
 * The service's complete route table, in matching order: fixed paths (`/users/me...`,
 * `/users/export`) before the `/users/:id` patterns that would capture them. The same list is
 * mounted, documented in OpenAPI and checked by the route x role access test.
 */
export function allRoutes(c: Container): RouteDef[] {
  const avatars = avatarRoutes(c);
  const avatarById = avatars.filter((r) => r.path.includes(':id'));
  return [
    ...profileRoutes(c),
    ...avatars.filter((r) => !r.path.includes(':id')),
    ...directoryRoutes(c),
    userByIdRoute(c),
    ...avatarById,
    ...auditRoutes(c),
  ];
}
