import { z } from 'zod';
import type { Container } from '../container.ts';
import type { Actor } from '../domain/access-audit.ts';
import { accountStats, STATS_DEFAULT_DAYS, STATS_MAX_DAYS } from '../domain/account-stats.ts';
import { bulkActions, MAX_BULK_IDS } from '../domain/bulk.ts';
import {
  defineRoute,
  type Principal,
  type RequestContext,
  type RouteDef,
} from '@ums/service-kit/route-table';
import { userSchema } from './token-response.ts';

export const roleNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,49}$/, 'lowercase letters, digits and _; 2 to 50 characters');

const idParams = z.object({ id: z.uuid() });

// Strict, and digits only: `days=1e2`, `days= 7` or a repeated `days` are a 400, never coerced.
// The pattern is the range itself (1 to 365, STATS_MAX_DAYS), so the OpenAPI document states it.
const statsQuery = z.strictObject({
  days: z
    .string()
    .regex(/^(?:[1-9][0-9]?|[12][0-9]{2}|3[0-5][0-9]|36[0-5])$/, {
      error: `must be an integer from 1 to ${STATS_MAX_DAYS}`,
    })
    .transform(Number)
    .pipe(z.number().int().min(1).max(STATS_MAX_DAYS))
    .prefault(String(STATS_DEFAULT_DAYS))
    .describe(`Days of registrations, ending today (UTC); 1 to ${STATS_MAX_DAYS}`),
});

const count = z.number().int().min(0);
const statsSchema = z.object({
  generatedAt: z.string().describe('When the counts were taken (database clock)'),
  total: count.describe('Accounts that exist (deleted accounts are gone, so never counted)'),
  byStatus: z.object({ active: count, inactive: count, suspended: count }),
  byRole: z.record(z.string(), count).describe('Every defined role, 0 when nobody holds it'),
  registrations: z
    .array(z.object({ date: z.string().describe('UTC day, YYYY-MM-DD'), count }))
    .describe('Exactly `days` entries, one per UTC day ending today, oldest first'),
});

const accountSchema = userSchema.extend({
  locked: z.boolean(),
  lockedUntil: z.string().nullable(),
  failedLoginCount: z.number().int(),
});

// Strict: anything but status and role (passwordHash, emailVerified, mfaEnabled, lockout fields,
// email...) is refused with 400 instead of being silently dropped or, worse, applied.
const accountPatchSchema = z
  .strictObject({
    status: z.enum(['active', 'inactive', 'suspended']).optional(),
    role: roleNameSchema.optional(),
  })
  .refine((b) => b.status !== undefined || b.role !== undefined, 'Give status, role or both.')
  .meta({ minProperties: 1 });

const bulkSchema = z
  .strictObject({
    ids: z
      .array(z.uuid())
      .min(1)
      .max(MAX_BULK_IDS)
      .refine((ids) => new Set(ids).size === ids.length, 'ids must be unique')
      .meta({ uniqueItems: true }),
    action: z.enum(bulkActions),
    role: roleNameSchema.optional(),
    dryRun: z.boolean().default(false),
  })
  .refine((b) => (b.action === 'change_role') === (b.role !== undefined), {
    message: 'role is required for change_role and not allowed for other actions',
    path: ['role'],
  })
  // The same rule for the OpenAPI document.
  .meta({
    if: { properties: { action: { const: 'change_role' } } },
    then: { required: ['role'] },
    else: { not: { required: ['role'] } },
  });

const bulkResponseSchema = z.object({
  dryRun: z.boolean(),
  results: z.array(
    z.object({
      id: z.string(),
      ok: z.boolean(),
      code: z
        .string()
        .optional()
        .describe('Why this id was refused (same codes as the single endpoints).'),
      from: z.string().optional(),
      to: z.string().optional(),
    }),
  ),
});

export function actorOf(principal: Principal, ctx: RequestContext): Actor {
  return { userId: principal.userId, requestId: ctx.requestId, ip: ctx.ip };
}

const tags = ['accounts'];
const notFoundResponse = { description: 'No account has this id' };

/** Admin account routes: stats, read, status and role changes, delete, unlock, revoke sessions, bulk. */
export function accountRoutes({
  accounts,
  bulk,
  db,
}: Pick<Container, 'accounts' | 'bulk' | 'db'>): RouteDef[] {
  return [
    // Before `/accounts/:id`, which would otherwise take `stats` for an (invalid) id.
    defineRoute({
      method: 'get',
      path: '/api/v1/accounts/stats',
      summary: 'Account counts by status and role, and registrations per UTC day',
      tags,
      access: { kind: 'permission', permission: 'users:read' },
      query: statsQuery,
      responses: { 200: { description: 'The counts', schema: statsSchema } },
      handler: async ({ query, res }) => {
        res.setHeader('Cache-Control', 'no-store');
        return { body: await accountStats(db, query.days) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/accounts/:id',
      summary: 'Read an account, including its lockout state',
      tags,
      access: { kind: 'permission', permission: 'users:read' },
      params: idParams,
      responses: {
        200: { description: 'The account', schema: accountSchema },
        404: notFoundResponse,
      },
      handler: async ({ params }) => ({ body: await accounts.get(params.id) }),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/accounts/:id',
      summary: 'Change an account status or role',
      tags,
      access: { kind: 'permission', permission: 'users:write' },
      params: idParams,
      body: accountPatchSchema,
      responses: {
        200: { description: 'The changed account', schema: accountSchema },
        403: {
          description:
            'account.self_demotion, account.protected_target or account.role_not_grantable',
        },
        404: notFoundResponse,
        409: { description: 'account.last_super_admin' },
      },
      handler: async ({ params, body, principal, ctx }) => ({
        body: await accounts.update(actorOf(principal, ctx), params.id, body),
      }),
    }),
    defineRoute({
      method: 'delete',
      path: '/api/v1/accounts/:id',
      summary: 'Delete an account and its sessions',
      tags,
      access: { kind: 'permission', permission: 'users:delete' },
      params: idParams,
      responses: {
        204: { description: 'Deleted' },
        403: { description: 'account.self_deletion or account.protected_target' },
        404: notFoundResponse,
        409: { description: 'account.last_super_admin' },
      },
      handler: async ({ params, principal, ctx }) => {
        await accounts.remove(actorOf(principal, ctx), params.id);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/accounts/:id/unlock',
      summary: 'Clear an account lockout and its failure counters',
      tags,
      access: { kind: 'permission', permission: 'users:write' },
      params: idParams,
      responses: {
        200: { description: 'The unlocked account', schema: accountSchema },
        404: notFoundResponse,
      },
      handler: async ({ params, principal, ctx }) => ({
        body: await accounts.unlock(actorOf(principal, ctx), params.id),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/accounts/:id/revoke-sessions',
      summary: 'End every session of an account',
      tags,
      access: { kind: 'permission', permission: 'sessions:manage' },
      params: idParams,
      responses: {
        200: {
          description: 'Sessions ended',
          schema: z.object({ revokedSessions: z.number().int() }),
        },
        403: { description: 'account.protected_target' },
        404: notFoundResponse,
      },
      handler: async ({ params, principal, ctx }) => ({
        body: {
          revokedSessions: await accounts.revokeSessions(actorOf(principal, ctx), params.id),
        },
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/accounts/bulk',
      summary: 'Apply one action to up to 1,000 accounts, or preview it with dryRun',
      tags,
      access: { kind: 'permission', permission: 'users:write' },
      body: bulkSchema,
      responses: {
        200: { description: 'One result per id, in request order', schema: bulkResponseSchema },
        403: {
          description:
            'The action needs a permission the caller lacks (delete: users:delete, revoke_sessions: sessions:manage)',
        },
      },
      handler: async ({ body, principal, ctx }) => ({
        body: await bulk.run(actorOf(principal, ctx), body),
      }),
    }),
  ];
}
