import { AppError, forbidden } from '@ums/service-kit/errors';
import { withRolledBackTransaction, withSavepoint, withTransaction, type Db } from '../data/db.ts';
import type { AccessDeniedAudit, Actor } from './access-audit.ts';
import { opPermission, type AccountOp, type AccountService } from './accounts.ts';

export const bulkActions = [
  'suspend',
  'activate',
  'deactivate',
  'change_role',
  'delete',
  'unlock',
  'revoke_sessions',
] as const;

export type BulkAction = (typeof bulkActions)[number];

export const MAX_BULK_IDS = 1000;

export interface BulkRequest {
  ids: readonly string[];
  action: BulkAction;
  role?: string | undefined;
  dryRun: boolean;
}

export interface BulkResult {
  id: string;
  ok: boolean;
  code?: string;
  from?: string;
  to?: string;
}

export function opFor(action: BulkAction, role: string | undefined): AccountOp {
  switch (action) {
    case 'suspend':
      return { kind: 'status', status: 'suspended' };
    case 'activate':
      return { kind: 'status', status: 'active' };
    case 'deactivate':
      return { kind: 'status', status: 'inactive' };
    case 'change_role':
      return { kind: 'role', role: role ?? '' };
    case 'delete':
      return { kind: 'delete' };
    case 'unlock':
      return { kind: 'unlock' };
    case 'revoke_sessions':
      return { kind: 'revoke_sessions' };
  }
}

const failure = (id: string, error: AppError): BulkResult => ({ id, ok: false, code: error.code });

/**
 * Bulk account changes with per-id results. Each id goes through exactly the rules of the single
 * endpoints. A real run gives every id its own transaction, so one refusal never undoes another
 * id's change. A dry run plays the same ids in order inside ONE transaction that is rolled back,
 * each id under a savepoint: later ids see what earlier ones would have done (suspending both of
 * two super admins reports the second as `account.last_super_admin`), and nothing is kept.
 * Errors that are not rule refusals (the database going away) abort the whole request.
 */
export function createBulkService(deps: {
  db: Db;
  accounts: AccountService;
  auditDenied: AccessDeniedAudit;
}) {
  async function realRun(
    actor: Actor,
    ids: readonly string[],
    op: AccountOp,
    action: BulkAction,
  ): Promise<BulkResult[]> {
    const results: BulkResult[] = [];
    for (const id of ids) {
      try {
        const outcome = await deps.accounts.audited(actor, id, `bulk.${action}`, () =>
          withTransaction(deps.db, (tx) => deps.accounts.applyOp(tx, actor, id, op)),
        );
        results.push({ id, ok: true, from: outcome.from, to: outcome.to });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        results.push(failure(id, error));
      }
    }
    return results;
  }

  function dryRun(actor: Actor, ids: readonly string[], op: AccountOp): Promise<BulkResult[]> {
    return withRolledBackTransaction(deps.db, async (tx) => {
      const results: BulkResult[] = [];
      for (const id of ids) {
        try {
          const outcome = await withSavepoint(tx, () => deps.accounts.applyOp(tx, actor, id, op));
          results.push({ id, ok: true, from: outcome.from, to: outcome.to });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          results.push(failure(id, error));
        }
      }
      return results;
    });
  }

  return {
    async run(
      actor: Actor,
      request: BulkRequest,
    ): Promise<{ dryRun: boolean; results: BulkResult[] }> {
      const op = opFor(request.action, request.role);
      const permission = opPermission[op.kind];
      // The route checked users:write; some actions need more, and the whole request needs it.
      if (!(await deps.accounts.rightsOf(actor)).has(permission)) {
        await deps.auditDenied(actor, {
          action: `bulk.${request.action}`,
          permission,
          count: request.ids.length,
        });
        throw forbidden('auth.forbidden', `This action needs the ${permission} permission.`);
      }
      const results = request.dryRun
        ? await dryRun(actor, request.ids, op)
        : await realRun(actor, request.ids, op, request.action);
      return { dryRun: request.dryRun, results };
    },
  };
}

export type BulkService = ReturnType<typeof createBulkService>;
