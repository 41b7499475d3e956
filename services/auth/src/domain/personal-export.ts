import { invalidAccessToken } from '@ums/service-kit/bearer';
import { transactionTime, withReadOnlySnapshot, withTransaction, type Db } from '../data/db.ts';
import { appendEvent } from '../data/outbox.ts';
import {
  auditTrailOf,
  oidcLinksOf,
  sessionHistoryOf,
  type SessionRecord,
} from '../data/personal-data.ts';
import { countUnusedRecoveryCodes } from '../data/recovery-codes.ts';
import { publicUser, type UserRecord, type UsersRepository } from '../data/users-repository.ts';
import type { ClientContext } from './account-deps.ts';
import { accountKey, enforce, throttleRules, type Throttle } from './throttle.ts';

/** Bounds on the lists: a bot that signs in thousands of times cannot make one export unbounded. */
export const EXPORT_MAX_SESSIONS = 1000;
export const EXPORT_MAX_AUDIT_ENTRIES = 1000;

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** The account as its owner may see it: the public fields plus a few of its own, never secrets. */
function accountSection(user: UserRecord) {
  return {
    ...publicUser(user),
    hasPassword: user.passwordHash !== null,
    passwordChangedAt: iso(user.passwordChangedAt),
    lockedUntil: iso(user.lockedUntil),
    updatedAt: user.updatedAt.toISOString(),
  };
}

function sessionSection(s: SessionRecord, now: Date, currentSessionId: string) {
  return {
    id: s.id,
    createdAt: s.createdAt.toISOString(),
    lastUsedAt: s.lastUsedAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    active: s.endedAt === null && s.expiresAt > now,
    current: s.id === currentSessionId,
    endedAt: iso(s.endedAt),
    endReason: s.endReason,
    userAgent: s.userAgent,
    ip: s.ip,
    device: s.device,
  };
}

/**
 * The caller's auth-side data as one JSON document: account, sessions (live and ended), MFA state,
 * linked sign-in providers and the security events about them. Rate-limited per user (like the
 * profile export) and recorded as `auth.data_exported` before anything is read.
 */
export function createPersonalExport(deps: { db: Db; users: UsersRepository; throttle: Throttle }) {
  async function record(userId: string, ctx: ClientContext): Promise<void> {
    await withTransaction(deps.db, async (tx) => {
      // The row lock keeps this event in order with other changes to the user (docs/events.md).
      const user = await deps.users.findById(tx, userId, true);
      if (!user) throw invalidAccessToken();
      await appendEvent(tx, {
        type: 'auth.data_exported',
        aggregateId: userId,
        actorId: userId,
        requestId: ctx.requestId,
        ip: ctx.ip,
        data: {},
      });
    });
  }

  return async function exportOwnData(
    principal: { userId: string; sessionId: string },
    ctx: ClientContext,
  ) {
    const { userId } = principal;
    await enforce(
      deps.throttle,
      throttleRules.exportPerUser,
      accountKey(userId),
      'auth.too_many_requests',
    );
    await record(userId, ctx);
    // One snapshot, so the sections agree with each other.
    return withReadOnlySnapshot(deps.db, async (tx) => {
      const user = await deps.users.findById(tx, userId);
      if (!user) throw invalidAccessToken();
      const sessions = await sessionHistoryOf(tx, userId, EXPORT_MAX_SESSIONS);
      const links = await oidcLinksOf(tx, userId);
      const audit = await auditTrailOf(tx, userId, EXPORT_MAX_AUDIT_ENTRIES);
      const now = await transactionTime(tx);
      return {
        exportedAt: now.toISOString(),
        account: accountSection(user),
        sessions: sessions.map((s) => sessionSection(s, now, principal.sessionId)),
        mfa: {
          totpEnabled: user.mfaEnabled,
          recoveryCodesRemaining: await countUnusedRecoveryCodes(tx, userId),
        },
        oidcLinks: links.map((l) => ({
          provider: l.provider,
          subject: l.subject,
          email: l.email,
          linkedAt: l.linkedAt.toISOString(),
          lastLoginAt: iso(l.lastLoginAt),
        })),
        auditEntries: audit.map((a) => ({ ...a, occurredAt: a.occurredAt.toISOString() })),
      };
    });
  };
}

export type PersonalExport = Awaited<ReturnType<ReturnType<typeof createPersonalExport>>>;
