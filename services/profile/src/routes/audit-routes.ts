import { defineRoute, type RouteDef } from '@ums/service-kit/route-table';
import type { Container } from '../container.ts';
import { auditExportQuery, auditQuery, auditViewSchema, pageOf } from './schemas.ts';
import { sendExport } from './streaming.ts';

/**
 * Read-only by construction: only GET is declared, so every other method on these paths is 405,
 * and no route anywhere changes or deletes an entry.
 */
export function auditRoutes(c: Container): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/audit-logs',
      summary: 'Audit entries, newest first: filter by userId, actorId, action, from, to',
      tags: ['audit'],
      access: { kind: 'permission', permission: 'audit:read' },
      query: auditQuery,
      responses: { 200: { description: 'One page', schema: pageOf(auditViewSchema) } },
      handler: async ({ query }) => ({ body: await c.auditService.list(query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/audit-logs/export',
      summary: 'Export audit entries matching the filters as CSV or JSON (streamed)',
      tags: ['audit'],
      access: { kind: 'permission', permission: 'audit:read' },
      query: auditExportQuery,
      responses: {
        200: { description: 'text/csv or a JSON array of entries, as an attachment' },
        429: { description: 'Too many exports' },
      },
      handler: async ({ principal, ctx, query, res }) => {
        await sendExport(res, await c.exportService.auditLogs(principal, ctx, query), c.logger);
        return undefined;
      },
    }),
  ];
}
