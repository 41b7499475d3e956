import type { Gauge } from 'prom-client';
import type { Logger } from '@ums/service-kit/logger';
import { withTransaction, type Db, type Queryable } from '../data/db.ts';
import { appendEvent } from '../data/outbox.ts';
import { createPeriodicTask, type BackgroundTask } from './key-rotation-schedule.ts';
import { revokeAllSessions, revokeSession } from './session-revocation.ts';

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

// The most recent sessions a user sees; a bot that signs in thousands of times cannot make the
// list (or this query) unbounded.
const MAX_LISTED = 200;

// A family is live while its newest token is unused, unrevoked and unexpired and none of its
// tokens was revoked (a child minted during a revocation escapes that UPDATE but not this check).
const LIVE_TOKEN = `t.revoked_at IS NULL AND t.used_at IS NULL AND t.expires_at > now() AND t.idle_expires_at > now()
  AND NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.family_id = t.family_id AND r.revoked_at IS NOT NULL)`;

export async function listSessions(db: Queryable, userId: string): Promise<SessionSummary[]> {
  const { rows } = await db.query<{
    id: string;
    device: string | null;
    user_agent: string | null;
    ip_address: string | null;
    created_at: Date;
    last_used_at: Date;
  }>(
    `SELECT t.family_id AS id, t.device, t.user_agent, t.ip_address, t.created_at AS last_used_at,
            (SELECT min(f.created_at) FROM refresh_tokens f WHERE f.family_id = t.family_id) AS created_at
     FROM refresh_tokens t WHERE t.user_id = $1 AND ${LIVE_TOKEN}
     ORDER BY t.created_at DESC LIMIT ${MAX_LISTED}`,
    [userId],
  );
  return rows.map((r) => ({
    id: r.id,
    device: r.device,
    userAgent: r.user_agent,
    ipAddress: r.ip_address,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at.toISOString(),
  }));
}

/** Live sessions across all users (the active-sessions gauge). */
export async function countLiveSessions(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(DISTINCT t.family_id) AS n FROM refresh_tokens t WHERE ${LIVE_TOKEN}`,
  );
  return Number(rows[0]?.n ?? 0);
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
