import { defineRoute, type RouteDef } from '@ums/service-kit/route-table';
import type { Container } from '../container.ts';
import { directoryExportQuery, directoryQuery, pageOf, summaryViewSchema } from './schemas.ts';
import { sendExport } from './streaming.ts';

/** The admin directory and its streamed export; `/users/export` precedes `/users/:id`. */
export function directoryRoutes(c: Container): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/users',
      summary: 'Find users: q (name or email), role, status, creation dates, sort, cursor pages',
      tags: ['directory'],
      access: { kind: 'permission', permission: 'users:read' },
      query: directoryQuery,
      responses: { 200: { description: 'One page', schema: pageOf(summaryViewSchema) } },
      handler: async ({ query }) => ({ body: await c.directoryService.list(query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/users/export',
      summary: 'Export the users matching the directory filters as CSV or JSON (streamed)',
      tags: ['directory'],
      access: { kind: 'permission', permission: 'users:export' },
      query: directoryExportQuery,
      responses: {
        200: { description: 'text/csv or a JSON array of directory rows, as an attachment' },
        429: { description: 'Too many exports' },
      },
      handler: async ({ principal, ctx, query, res }) => {
        const stream = await c.exportService.users(principal, ctx, query);
        await sendExport(res, stream, c.logger);
        return undefined;
      },
    }),
  ];
}
