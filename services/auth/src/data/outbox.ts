import { activeTraceContext } from '@ums/service-kit/trace-context';
import type { Queryable } from './db.ts';
import { createUsersRepository, publicUser } from './users-repository.ts';
import { onlyRow } from './rows.ts';

const users = createUsersRepository();
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Event types the auth service publishes (see docs/events.md). */
export type EventType =
  | 'user.registered'
  | 'user.updated'
  | 'user.status_changed'
  | 'user.role_changed'
  | 'user.deleted'
  | 'user.email_verified'
  | 'user.password_changed'
  | 'user.mfa_enabled'
  | 'user.mfa_disabled'
  | 'user.mfa_recovery_codes_regenerated'
  | 'user.sessions_revoked'
  | 'user.identity_linked'
  | 'auth.login_succeeded'
  | 'auth.login_failed'
  | 'auth.locked'
  | 'auth.unlocked'
  | 'auth.token_reuse_detected'
  | 'auth.password_reset_requested'
  | 'auth.logout'
  | 'auth.access_denied'
  | 'auth.data_exported'
  | 'role.created'
  | 'role.updated'
  | 'role.deleted';

/**
 * The outbox row type that carries ended session ids to the verifiers (written with every
 * revocation, see sessions-repository.ts). The relay sends these to the revocation stream
 * (`revocationStreamOf(EVENTS_STREAM)`), never to the events stream.
 */
export const SESSIONS_ENDED = 'sessions.ended';

export interface OutboxEvent {
  type: EventType;
  /** The user (or role) the event is about; the relay keeps per-aggregate order. */
  aggregateId: string;
  /** Who did it: the user themself, an admin's id, or 'system'. */
  actorId?: string | null;
  requestId?: string;
  ip?: string;
  data: Record<string, unknown>;
}

/**
 * Appends an event to the outbox. Pass the transaction's client so the event commits or rolls
 * back with the change it describes; the relay publishes it to the Redis stream afterwards.
 * The active trace context goes with it, so publication and consumption join the request's trace.
 */
export async function appendEvent(db: Queryable, event: OutboxEvent): Promise<string> {
  const payload = {
    actorId: event.actorId ?? null,
    requestId: event.requestId ?? null,
    ip: event.ip ?? null,
    data: await withUserSnapshot(db, event),
  };
  const trace = activeTraceContext();
  const { rows } = await db.query<{ event_id: string }>(
    `INSERT INTO outbox (type, aggregate_id, payload, traceparent, tracestate)
     VALUES ($1, $2, $3, $4, $5) RETURNING event_id`,
    [
      event.type,
      event.aggregateId,
      JSON.stringify(payload),
      trace.traceparent ?? null,
      trace.tracestate ?? null,
    ],
  );
  return onlyRow(rows).event_id;
}

/**
 * Events about a user carry `data.user`, the user as this transaction leaves them, so consumers
 * (the profile read model) apply every user.* and auth.* event the same way instead of knowing
 * each event's fields. A deleted user has no snapshot; consumers use the aggregate id.
 */
async function withUserSnapshot(
  db: Queryable,
  event: OutboxEvent,
): Promise<Record<string, unknown>> {
  if ('user' in event.data || !/^(user|auth)\./.test(event.type) || !uuid.test(event.aggregateId))
    return event.data;
  const user = await users.findById(db, event.aggregateId);
  return user ? { ...event.data, user: publicUser(user) } : event.data;
}

/** What the outbox holds unpublished: row count and the oldest row's age (0 when none). */
export async function outboxBacklog(
  db: Queryable,
): Promise<{ rows: number; oldestAgeSeconds: number }> {
  // Both read only the partial index on unpublished rows (outbox_unpublished_idx), so the cost
  // follows the backlog, not the ever-growing outbox.
  const { rows } = await db.query<{ rows: string; age: number | null }>(
    `SELECT count(*) AS rows,
            extract(epoch FROM now() - (SELECT created_at FROM outbox
              WHERE published_at IS NULL ORDER BY id LIMIT 1))::float8 AS age
     FROM outbox WHERE published_at IS NULL`,
  );
  const row = onlyRow(rows);
  return { rows: Number(row.rows), oldestAgeSeconds: Math.max(0, row.age ?? 0) };
}

/** An outbox row as the relay publishes it: the event and the trace context it was written in. */
export interface OutboxRecord {
  id: string;
  eventId: string;
  type: string;
  aggregateId: string | null;
  payload: unknown;
  createdAt: Date;
  traceparent: string | null;
  tracestate: string | null;
}

// One publisher at a time per database keeps the stream in id order across replicas: with SKIP
// LOCKED alone, a second replica could publish a later batch while the first is still sending.
const RELAY_LOCK_KEY = 'ums-auth:outbox-relay';

/**
 * The relay's batch, in the relay's transaction: takes the relay lock (undefined when another
 * publisher holds it), then locks the oldest unpublished rows, skipping rows locked elsewhere.
 */
export async function lockUnpublishedBatch(
  tx: Queryable,
  batchSize: number,
): Promise<OutboxRecord[] | undefined> {
  const { rows: lock } = await tx.query<{ ok: boolean }>(
    'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS ok',
    [RELAY_LOCK_KEY],
  );
  if (!lock[0]?.ok) return undefined;
  const { rows } = await tx.query<{
    id: string;
    event_id: string;
    type: string;
    aggregate_id: string | null;
    payload: unknown;
    created_at: Date;
    traceparent: string | null;
    tracestate: string | null;
  }>(
    `SELECT id, event_id, type, aggregate_id, payload, created_at, traceparent, tracestate FROM outbox
     WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [batchSize],
  );
  return rows.map((r) => ({
    id: r.id,
    eventId: r.event_id,
    type: r.type,
    aggregateId: r.aggregate_id,
    payload: r.payload,
    createdAt: r.created_at,
    traceparent: r.traceparent,
    tracestate: r.tracestate,
  }));
}

export async function markPublished(tx: Queryable, ids: readonly string[]): Promise<void> {
  await tx.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [ids]);
}
