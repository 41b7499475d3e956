import { defineRoute, type RouteDef } from '@ums/service-kit/route-table';
import { notFound } from '@ums/service-kit/errors';
import type { Container } from '../container.ts';
import { AVATAR_CONTENT_TYPE } from '../domain/avatars.ts';
import { avatarUrlOf } from '../domain/profile-model.ts';
import { readSingleFile } from './multipart.ts';
import { avatarQuery, userIdParams } from './schemas.ts';
import { z } from 'zod';

export const AVATAR_UPLOAD_PATH = '/api/v1/users/me/avatar';

export function avatarRoutes(c: Container): RouteDef[] {
  return [
    defineRoute({
      method: 'put',
      path: AVATAR_UPLOAD_PATH,
      summary: 'Upload your avatar (multipart/form-data, field "avatar", PNG/JPEG/WebP/GIF, 5 MB)',
      tags: ['avatar'],
      access: { kind: 'authenticated' },
      responses: {
        200: { description: 'Stored', schema: z.object({ avatarUrl: z.string() }) },
        413: { description: 'Larger than the limit' },
        415: { description: 'Not a PNG, JPEG, WebP or GIF image (or not multipart)' },
        422: { description: 'Unreadable image or too many pixels' },
      },
      handler: async ({ principal, req, res }) => {
        const p = principal;
        const data = await readSingleFile(req, res, {
          field: 'avatar',
          maxBytes: c.config.AVATAR_MAX_BYTES,
        });
        const avatar = await c.avatars.upload(p.userId, data);
        return { body: { avatarUrl: avatarUrlOf({ _id: p.userId, avatar }) } };
      },
    }),
    defineRoute({
      method: 'delete',
      path: AVATAR_UPLOAD_PATH,
      summary: 'Remove your avatar',
      tags: ['avatar'],
      access: { kind: 'authenticated' },
      responses: { 204: { description: 'Removed (or there was none)' } },
      handler: async ({ principal }) => {
        await c.avatars.remove(principal.userId);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/users/:id/avatar',
      summary: "A user's avatar (WebP): your own, or anyone's with users:read",
      tags: ['avatar'],
      access: { kind: 'authenticated' },
      params: userIdParams,
      query: avatarQuery,
      responses: {
        200: { description: 'image/webp' },
        304: { description: 'Not modified (If-None-Match)' },
        403: { description: "Another user's avatar without users:read" },
        404: { description: 'No avatar' },
      },
      handler: async ({ principal, params, query, req, res }) => {
        const p = principal;
        if (params.id !== p.userId) {
          // Same rule as the profile: checked before the lookup, so nothing leaks.
          await c.profileService.getUser(
            p,
            params.id,
            (await c.access.currentPermissions(p)).includes('users:read'),
          );
        }
        const avatar = await c.avatars.read(params.id, query.size);
        if (!avatar) throw notFound('avatar.not_found', 'This user has no avatar.');
        res.set({
          'Content-Type': AVATAR_CONTENT_TYPE,
          'X-Content-Type-Options': 'nosniff',
          ETag: avatar.etag,
          'Last-Modified': avatar.updatedAt.toUTCString(),
          // Behind authentication: private caches only. Versioned URLs change on every upload.
          'Cache-Control': 'private, max-age=86400',
          'Content-Disposition': 'inline; filename="avatar.webp"',
          'Content-Security-Policy': "default-src 'none'; sandbox",
        });
        if (req.fresh) {
          res.status(304).end();
          return undefined;
        }
        res.status(200).end(avatar.body);
        return undefined;
      },
    }),
  ];
}
