import { z } from 'zod';
import { defineRoute, type RouteDef } from '@ums/service-kit/route-table';
import type { Container } from '../container.ts';
import { profilePatchSchema, profileViewSchema, userIdParams } from './schemas.ts';
import { sendExport } from './streaming.ts';

/** Own profile, own data export, and one user's profile (self, or anyone with users:read). */
export function profileRoutes(c: Container): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/users/me',
      summary: 'Your profile and preferences',
      tags: ['profile'],
      access: { kind: 'authenticated' },
      responses: { 200: { description: 'Your profile', schema: profileViewSchema } },
      handler: async ({ principal }) => ({
        body: await c.profileService.getOwn(principal),
      }),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/users/me',
      summary: 'Change your profile and preferences',
      tags: ['profile'],
      access: { kind: 'authenticated' },
      body: profilePatchSchema,
      responses: { 200: { description: 'The updated profile', schema: profileViewSchema } },
      handler: async ({ principal, body }) => ({
        body: await c.profileService.updateOwn(principal, body),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/users/me/export',
      summary: 'Everything held about you (profile, preferences, audit entries) as JSON',
      tags: ['profile'],
      access: { kind: 'authenticated' },
      responses: {
        200: {
          description: 'A JSON document, sent as an attachment',
          schema: z.object({
            exportedAt: z.string(),
            profile: profileViewSchema,
            auditEntries: z.array(z.record(z.string(), z.unknown())),
          }),
        },
        429: { description: 'Too many exports' },
      },
      handler: async ({ principal, ctx, res }) => {
        await sendExport(res, await c.exportService.own(principal, ctx), c.logger);
        return undefined;
      },
    }),
  ];
}

/** Declared after `/users/me` and `/users/export`, whose paths it would otherwise capture. */
export function userByIdRoute(c: Container): RouteDef {
  return defineRoute({
    method: 'get',
    path: '/api/v1/users/:id',
    summary: "A user's profile: your own, or anyone's with users:read",
    tags: ['profile'],
    access: { kind: 'authenticated' },
    params: userIdParams,
    responses: {
      200: { description: 'The profile', schema: profileViewSchema },
      403: { description: "Another user's profile without users:read" },
      404: { description: 'No such profile' },
    },
    handler: async ({ principal, params }) => {
      const p = principal;
      const canReadOthers =
        params.id !== p.userId && (await c.access.currentPermissions(p)).includes('users:read');
      return { body: await c.profileService.getUser(p, params.id, canReadOthers) };
    },
  });
}
