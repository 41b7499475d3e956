import { AppError, badRequest, conflict, forbidden, notFound } from '@ums/service-kit/errors';
import type { AccountsRepository } from '../data/accounts-repository.ts';
import { withTransaction, type Db, type Queryable } from '../data/db.ts';
import { appendEvent } from '../data/outbox.ts';
import type { RolesRepository } from '../data/roles-repository.ts';
import type { UserRecord, UserStatus, UsersRepository } from '../data/users-repository.ts';
import { publicUser } from '../data/users-repository.ts';
import type { AccessDeniedAudit, Actor } from './access-audit.ts';
import { isLocked, unlockAccount } from './lockout.ts';
import { SUPER_ADMIN_ROLE, type Permission } from './permissions.ts';
import { revokeAllSessions } from './session-revocation.ts';

/** One change to one account; the single endpoints and every bulk action are made of these. */
export type AccountOp =
  | { kind: 'status'; status: UserStatus }
  | { kind: 'role'; role: string }
  | { kind: 'delete' }
  | { kind: 'unlock' }
  | { kind: 'revoke_sessions' };

export interface OpOutcome {
  from?: string;
  to?: string;
  sessionsRevoked?: number;
}

/** The permission each kind of change needs, re-checked inside the change's transaction. */
export const opPermission: Record<AccountOp['kind'], Permission> = {
  status: 'users:write',
  role: 'users:write',
  delete: 'users:delete',
  unlock: 'users:write',
  revoke_sessions: 'sessions:manage',
};

/** An account as admins see it: the public user plus lockout state; never hashes or secrets. */
export function accountView(user: UserRecord) {
  return {
    ...publicUser(user),
    locked: isLocked(user),
    lockedUntil: user.lockedUntil?.toISOString() ?? null,
    failedLoginCount: user.failedLoginCount,
  };
}

export type AccountView = ReturnType<typeof accountView>;

export interface Rights {
  userId: string;
  has(permission: string): boolean;
}

export interface AccountServiceDeps {
  db: Db;
  users: UsersRepository;
  accounts: AccountsRepository;
  roles: RolesRepository;
  auditDenied: AccessDeniedAudit;
}

/**
 * Admin changes to accounts. Rules, enforced inside each change's transaction:
 * - nobody removes the last active super admin (suspend, deactivate, delete, role change away);
 * - nobody changes their own role or status or deletes themself (no self-demotion);
 * - an actor only changes, deletes, signs out or grants accounts and roles whose permissions
 *   they hold themself, so an admin cannot create, demote, remove or sign out a super admin.
 */
export function createAccountService(deps: AccountServiceDeps) {
  const { users, accounts, roles } = deps;

  async function rightsOf(db: Queryable, actor: Actor): Promise<Rights> {
    const current = await users.permissionsOf(db, actor.userId);
    const granted = new Set(current?.status === 'active' ? current.permissions : []);
    return { userId: actor.userId, has: (p) => granted.has(p) };
  }

  function requirePermission(rights: Rights, permission: Permission): void {
    if (!rights.has(permission)) {
      throw forbidden('auth.forbidden', `This action needs the ${permission} permission.`);
    }
  }

  async function lockTarget(tx: Queryable, id: string): Promise<UserRecord> {
    const user = await users.findById(tx, id, true);
    if (!user) throw notFound('account.not_found', 'No account has this id.');
    return user;
  }

  async function holdsAllOf(tx: Queryable, rights: Rights, roleName: string): Promise<boolean> {
    const role = await roles.find(tx, roleName);
    return (role?.permissions ?? []).every((p) => rights.has(p));
  }

  /** Changing or removing an account needs every permission the account's role grants. */
  async function assertOutranks(tx: Queryable, rights: Rights, target: UserRecord): Promise<void> {
    if (!(await holdsAllOf(tx, rights, target.role))) {
      throw forbidden('account.protected_target', 'This account has permissions you do not hold.');
    }
  }

  async function assertGrantable(tx: Queryable, rights: Rights, roleName: string): Promise<void> {
    // FOR SHARE: the role cannot be deleted between this check and the assignment.
    const role = await roles.find(tx, roleName, 'share');
    if (!role) throw badRequest('account.unknown_role', 'No role has this name.');
    const missing = role.permissions.filter((p) => !rights.has(p));
    if (missing.length > 0 || (role.name === SUPER_ADMIN_ROLE && !rights.has('roles:manage'))) {
      throw forbidden(
        'account.role_not_grantable',
        'This role grants permissions you do not hold.',
      );
    }
  }

  async function assertKeepsASuperAdmin(tx: Queryable, target: UserRecord): Promise<void> {
    if (target.role !== SUPER_ADMIN_ROLE || target.status !== 'active') return;
    await accounts.lockSuperAdminGuard(tx);
    if ((await accounts.countActiveWithRole(tx, SUPER_ADMIN_ROLE, target.id)) === 0) {
      throw conflict('account.last_super_admin', 'The last active super admin cannot be removed.');
    }
  }

  function assertNotSelf(rights: Rights, target: UserRecord, code: string): void {
    if (target.id === rights.userId) {
      throw forbidden(code, 'You cannot remove or change your own admin rights.');
    }
  }

  const event = (actor: Actor) => ({
    actorId: actor.userId,
    requestId: actor.requestId,
    ip: actor.ip,
  });

  async function changeStatus(
    tx: Queryable,
    rights: Rights,
    actor: Actor,
    target: UserRecord,
    status: UserStatus,
  ): Promise<OpOutcome> {
    if (target.status === status) return { from: status, to: status };
    assertNotSelf(rights, target, 'account.self_demotion');
    await assertOutranks(tx, rights, target);
    if (status !== 'active') await assertKeepsASuperAdmin(tx, target);
    await accounts.setStatus(tx, target.id, status);
    const sessionsRevoked =
      status === 'active' ? 0 : await revokeAllSessions(tx, target.id, 'suspended');
    await appendEvent(tx, {
      type: 'user.status_changed',
      aggregateId: target.id,
      ...event(actor),
      data: { userId: target.id, from: target.status, to: status, sessionsRevoked },
    });
    return { from: target.status, to: status, sessionsRevoked };
  }

  async function changeRole(
    tx: Queryable,
    rights: Rights,
    actor: Actor,
    target: UserRecord,
    role: string,
  ): Promise<OpOutcome> {
    if (target.role === role) return { from: role, to: role };
    assertNotSelf(rights, target, 'account.self_demotion');
    await assertOutranks(tx, rights, target);
    await assertGrantable(tx, rights, role);
    await assertKeepsASuperAdmin(tx, target);
    await accounts.setRole(tx, target.id, role);
    await appendEvent(tx, {
      type: 'user.role_changed',
      aggregateId: target.id,
      ...event(actor),
      data: { userId: target.id, from: target.role, to: role },
    });
    return { from: target.role, to: role };
  }

  /**
   * The deletion itself, shared by the admin route and self-service: never the last active super
   * admin; sessions, one-time tokens, recovery codes and identities cascade with the row; the
   * `user.deleted` event tells the profile service to erase the profile.
   */
  async function deleteAccount(
    tx: Queryable,
    actor: Actor,
    target: UserRecord,
    initiatedBy: 'admin' | 'self',
  ): Promise<OpOutcome> {
    await assertKeepsASuperAdmin(tx, target);
    // The refresh tokens would go with the row (ON DELETE CASCADE); revoking them first also
    // announces the ended sessions, so their access tokens stop at once too.
    await revokeAllSessions(tx, target.id, 'deleted');
    await accounts.remove(tx, target.id);
    await appendEvent(tx, {
      type: 'user.deleted',
      aggregateId: target.id,
      ...event(actor),
      data: { userId: target.id, initiatedBy },
    });
    return {};
  }

  async function remove(
    tx: Queryable,
    rights: Rights,
    actor: Actor,
    target: UserRecord,
  ): Promise<OpOutcome> {
    assertNotSelf(rights, target, 'account.self_deletion');
    await assertOutranks(tx, rights, target);
    return deleteAccount(tx, actor, target, 'admin');
  }

  async function unlock(tx: Queryable, actor: Actor, target: UserRecord): Promise<OpOutcome> {
    await unlockAccount(tx, target.id);
    await appendEvent(tx, {
      type: 'auth.unlocked',
      aggregateId: target.id,
      ...event(actor),
      data: {
        userId: target.id,
        wasLocked: isLocked(target),
        failedLoginCount: target.failedLoginCount,
      },
    });
    return {};
  }

  async function revokeSessions(
    tx: Queryable,
    rights: Rights,
    actor: Actor,
    target: UserRecord,
  ): Promise<OpOutcome> {
    // Signing someone out at will is a lever over them too: only over accounts one outranks.
    await assertOutranks(tx, rights, target);
    const sessionsRevoked = await revokeAllSessions(tx, target.id, 'admin_revoked');
    await appendEvent(tx, {
      type: 'user.sessions_revoked',
      aggregateId: target.id,
      ...event(actor),
      data: { userId: target.id, reason: 'admin_revoked', count: sessionsRevoked },
    });
    return { sessionsRevoked };
  }

  /** Applies one change inside the caller's transaction; throws an AppError when a rule refuses it. */
  async function applyOp(
    tx: Queryable,
    actor: Actor,
    id: string,
    op: AccountOp,
  ): Promise<OpOutcome> {
    const rights = await rightsOf(tx, actor);
    requirePermission(rights, opPermission[op.kind]);
    const target = await lockTarget(tx, id);
    switch (op.kind) {
      case 'status':
        return changeStatus(tx, rights, actor, target, op.status);
      case 'role':
        return changeRole(tx, rights, actor, target, op.role);
      case 'delete':
        return remove(tx, rights, actor, target);
      case 'unlock':
        return unlock(tx, actor, target);
      case 'revoke_sessions':
        return revokeSessions(tx, rights, actor, target);
    }
  }

  /** Refusals for lack of rights (403) are audited after the refused transaction rolled back. */
  async function audited<T>(
    actor: Actor,
    id: string,
    action: string,
    work: () => Promise<T>,
  ): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AppError && error.status === 403) {
        await deps.auditDenied(actor, { targetId: id, action, code: error.code });
      }
      throw error;
    }
  }

  /** Runs ops on one account in one transaction and returns the account afterwards. */
  const applyAll = (actor: Actor, id: string, ops: AccountOp[], action: string) =>
    audited(actor, id, action, () =>
      withTransaction(deps.db, async (tx) => {
        const outcomes: OpOutcome[] = [];
        for (const op of ops) outcomes.push(await applyOp(tx, actor, id, op));
        return { outcomes, account: await users.findById(tx, id) };
      }),
    );

  const viewOf = (user: UserRecord | undefined): AccountView => {
    if (!user) throw notFound('account.not_found', 'No account has this id.');
    return accountView(user);
  };

  return {
    applyOp,
    audited,

    get: async (id: string): Promise<AccountView> => viewOf(await users.findById(deps.db, id)),

    /** Role first, then status, so each rule sees the state the previous change left. */
    async update(
      actor: Actor,
      id: string,
      change: { status?: UserStatus; role?: string },
    ): Promise<AccountView> {
      const ops: AccountOp[] = [];
      if (change.role !== undefined) ops.push({ kind: 'role', role: change.role });
      if (change.status !== undefined) ops.push({ kind: 'status', status: change.status });
      const { account } = await applyAll(actor, id, ops, 'update');
      return viewOf(account);
    },

    async remove(actor: Actor, id: string): Promise<void> {
      await applyAll(actor, id, [{ kind: 'delete' }], 'delete');
    },

    /**
     * The actor deletes their own account (the caller has checked their confirmation). No rank
     * rules: everyone outranks themself. The last active super admin is still refused (409).
     */
    async removeSelf(actor: Actor): Promise<void> {
      await withTransaction(deps.db, async (tx) => {
        const target = await lockTarget(tx, actor.userId);
        await deleteAccount(tx, actor, target, 'self');
      });
    },

    async unlock(actor: Actor, id: string): Promise<AccountView> {
      const { account } = await applyAll(actor, id, [{ kind: 'unlock' }], 'unlock');
      return viewOf(account);
    },

    async revokeSessions(actor: Actor, id: string): Promise<number> {
      const { outcomes } = await applyAll(
        actor,
        id,
        [{ kind: 'revoke_sessions' }],
        'revoke_sessions',
      );
      return outcomes[0]?.sessionsRevoked ?? 0;
    },

    /** The caller's current permissions, read fresh (never from the token's claims). */
    rightsOf: (actor: Actor) => rightsOf(deps.db, actor),
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
