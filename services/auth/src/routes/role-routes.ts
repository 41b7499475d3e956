import { z } from 'zod';
import type { Container } from '../container.ts';
import { permissions } from '../domain/permissions.ts';
import { actorOf, roleNameSchema } from './account-routes.ts';
import { defineRoute, type RouteDef } from '@ums/service-kit/route-table';
import { multiLine } from '@ums/service-kit/text-fields';

const nameParams = z.object({ name: roleNameSchema });
const description = multiLine(500).trim();
// Only the permission strings the service knows; anything else is a 400, never stored.
const permissionList = z.array(z.enum(permissions)).max(permissions.length * 2);

const roleSchema = z.object({
  name: z.string(),
  description: z.string(),
  permissions: z.array(z.string()),
  isSystem: z.boolean(),
  userCount: z.number().int(),
});

const createSchema = z.strictObject({
  name: roleNameSchema,
  description: description.optional(),
  permissions: permissionList,
});

const patchSchema = z
  .strictObject({ description: description.optional(), permissions: permissionList.optional() })
  .refine(
    (b) => b.description !== undefined || b.permissions !== undefined,
    'Give description, permissions or both.',
  )
  .meta({ minProperties: 1 });

const tags = ['roles'];
const notFoundResponse = { description: 'role.not_found' };

/** Admin role routes: list, create, change permissions, delete. */
export function roleRoutes({ roles }: Pick<Container, 'roles'>): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/roles',
      summary: 'List roles with their permissions and how many accounts have each',
      tags,
      access: { kind: 'permission', permission: 'roles:read' },
      responses: { 200: { description: 'Every role', schema: z.array(roleSchema) } },
      handler: async () => ({ body: await roles.list() }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/roles',
      summary: 'Create a custom role',
      tags,
      access: { kind: 'permission', permission: 'roles:manage' },
      body: createSchema,
      responses: {
        201: { description: 'The new role', schema: roleSchema },
        409: { description: 'role.already_exists' },
      },
      handler: async ({ body, principal, ctx }) => ({
        status: 201,
        body: await roles.create(actorOf(principal, ctx), body),
      }),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/roles/:name',
      summary: "Change a role's description or permissions",
      tags,
      access: { kind: 'permission', permission: 'roles:manage' },
      params: nameParams,
      body: patchSchema,
      responses: {
        200: { description: 'The changed role', schema: roleSchema },
        403: { description: 'role.self_demotion: removing roles:manage from your own role' },
        404: notFoundResponse,
        409: { description: 'role.lockout_protection: super_admin keeps roles:manage' },
      },
      handler: async ({ params, body, principal, ctx }) => ({
        body: await roles.update(actorOf(principal, ctx), params.name, body),
      }),
    }),
    defineRoute({
      method: 'delete',
      path: '/api/v1/roles/:name',
      summary: 'Delete a custom role no account has',
      tags,
      access: { kind: 'permission', permission: 'roles:manage' },
      params: nameParams,
      responses: {
        204: { description: 'Deleted' },
        404: notFoundResponse,
        409: { description: 'role.system_role or role.in_use' },
      },
      handler: async ({ params, principal, ctx }) => {
        await roles.remove(actorOf(principal, ctx), params.name);
        return { status: 204 };
      },
    }),
  ];
}
