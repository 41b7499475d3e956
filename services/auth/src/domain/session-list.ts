import type { Gauge } from 'prom-client';
import type { Logger } from '@ums/service-kit/logger';
import { withTransaction, type Db, type Queryable } from '../data/db.ts';
import { appendEvent } from '../data/outbox.ts';
import { createSessionsRepository } from '../data/sessions-repository.ts';
import { createPeriodicTask, type BackgroundTask } from './key-rotation-schedule.ts';
import { revokeAllSessions, revokeSession } from './session-revocation.ts';

const sessions = createSessionsRepository();

/** One live session of a user, as the session list shows it. */
export interface SessionSummary {
  /** The refresh-token family id: the access token's `sid`. */
  id: string;
  device: string | null;
  userAgent: string | null;
  ipAddress: string | null;
  /** When the session started (sign-in). */
  createdAt: string;
  /** When it was last refreshed (its newest token was minted); equals createdAt until then. */
  lastUsedAt: string;
}

/** Who asked, for the events: the request id and address end up in the audit log. */
export interface Actor {
  userId: string;
  requestId: string;
  ip: string;
}

/** The caller's live sessions, newest first (at most 200: a bot cannot make the list unbounded). */
export async function listSessions(db: Queryable, userId: string): Promise<SessionSummary[]> {
  const live = await sessions.listLive(db, userId);
  return live.map((r) => ({
    id: r.id,
    device: r.device,
    userAgent: r.userAgent,
    ipAddress: r.ipAddress,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt.toISOString(),
  }));
}

/** Live sessions across all users (the active-sessions gauge). */
export async function countLiveSessions(db: Queryable): Promise<number> {
  return sessions.countLive(db);
}

/**
 * Ends one session of the caller (logout, or deleting it from the session list); false when it
 * is not theirs or already ended, so another user's session ids reveal nothing.
 */
export async function endSession(
  db: Db,
  actor: Actor,
  sessionId: string,
  how: 'logout' | 'session_revoked',
): Promise<boolean> {
  return withTransaction(db, async (tx) => {
    if (!(await revokeSession(tx, actor.userId, sessionId, how))) return false;
    await appendEvent(tx, {
      type: how === 'logout' ? 'auth.logout' : 'user.sessions_revoked',
      aggregateId: actor.userId,
      actorId: actor.userId,
      requestId: actor.requestId,
      ip: actor.ip,
      data: { reason: how, sessionIds: [sessionId], count: 1 },
    });
    return true;
  });
}

/** Ends every session of the caller (logout-all); returns how many ended. */
export async function endAllSessions(db: Db, actor: Actor): Promise<number> {
  return withTransaction(db, async (tx) => {
    const count = await revokeAllSessions(tx, actor.userId, 'logout_all');
    await appendEvent(tx, {
      type: 'user.sessions_revoked',
      aggregateId: actor.userId,
      actorId: actor.userId,
      requestId: actor.requestId,
      ip: actor.ip,
      data: { reason: 'logout_all', count },
    });
    return count;
  });
}

/** Keeps the active-sessions gauge current with a cheap periodic COUNT. */
export function activeSessionsGaugeTask(deps: {
  db: Queryable;
  gauge: Pick<Gauge, 'set'>;
  intervalMs: number;
  logger: Logger;
}): BackgroundTask {
  return createPeriodicTask({
    name: 'active-sessions-gauge',
    intervalMs: deps.intervalMs,
    logger: deps.logger,
    runAtStart: true,
    run: async () => deps.gauge.set(await countLiveSessions(deps.db)),
  });
}
