import { randomUUID } from 'node:crypto';
import type { StreamEvent } from './events.ts';

/** One `audit_logs` entry. `_id` is the event id, so a replayed event cannot be stored twice. */
export interface AuditDoc {
  _id: string;
  eventId: string;
  action: string;
  actorId: string | null;
  /** The user the entry is about (the event's aggregate), null for role events. */
  userId: string | null;
  ip: string | null;
  requestId: string | null;
  occurredAt: Date;
  recordedAt: Date;
  expiresAt: Date;
  /** Which service recorded it: `auth` (via events) or `profile` (exports, denied calls). */
  source: 'auth' | 'profile';
  details: Record<string, unknown>;
  personalDataErased?: true;
}

const DAY_MS = 24 * 3600 * 1000;
const MAX_DEPTH = 5;
const MAX_ARRAY = 100;
const MAX_STRING = 1000;

// Never worth keeping in an audit log, whatever an event carries.
const SECRET_KEY = /pass(word)?|token|secret|^code$|hash|recovery|otp|cookie|authorization/i;
// Personal data the profile and the account hold already; the audit trail does not need it.
const PERSONAL_KEYS = new Set([
  'firstName',
  'lastName',
  'displayName',
  'name',
  'phone',
  'bio',
  'location',
  'address',
  'website',
  'birthDate',
]);
/** Personal data an entry may keep while the user exists, removed when they are erased. */
export const ERASABLE_DETAIL_KEYS = ['email', 'userAgent'] as const;

function clean(value: unknown, depth: number): unknown {
  if (typeof value === 'string')
    return value.length > MAX_STRING ? value.slice(0, MAX_STRING) : value;
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '[truncated]';
  if (Array.isArray(value)) return value.slice(0, MAX_ARRAY).map((v) => clean(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    // `$` and `.` in field names are operators or paths to MongoDB; `__proto__` is a trap.
    if (key.startsWith('$') || key.includes('.') || key === '__proto__') continue;
    if (SECRET_KEY.test(key) || PERSONAL_KEYS.has(key)) continue;
    out[key] = clean(v, depth + 1);
  }
  return out;
}

/**
 * An event's `data` as audit details: secrets and profile fields dropped, the user snapshot cut
 * down to what an auditor needs (role and status flags), sizes bounded.
 */
export function auditDetails(data: Record<string, unknown>): Record<string, unknown> {
  const details = clean(data, 0) as Record<string, unknown>;
  const user = data.user;
  if (typeof user === 'object' && user !== null) {
    const { role, status, emailVerified, mfaEnabled } = user as Record<string, unknown>;
    details.user = { role, status, emailVerified, mfaEnabled };
  }
  return details;
}

function stripErasable(details: Record<string, unknown>): Record<string, unknown> {
  const erasable = new Set<string>(ERASABLE_DETAIL_KEYS);
  return Object.fromEntries(Object.entries(details).filter(([key]) => !erasable.has(key)));
}

export function auditFromEvent(
  event: StreamEvent,
  options: { retentionDays: number; erased: boolean; now?: Date },
): AuditDoc {
  const isRoleEvent = event.type.startsWith('role.');
  const subject =
    event.aggregateId ?? (typeof event.data.userId === 'string' ? event.data.userId : null);
  const details = auditDetails(event.data);
  const doc: AuditDoc = {
    _id: event.eventId,
    eventId: event.eventId,
    action: event.type,
    actorId: event.actorId,
    userId: isRoleEvent ? null : subject,
    ip: options.erased ? null : event.ip,
    requestId: event.requestId,
    occurredAt: event.occurredAt,
    recordedAt: options.now ?? new Date(),
    expiresAt: new Date(event.occurredAt.getTime() + options.retentionDays * DAY_MS),
    source: 'auth',
    details: options.erased ? stripErasable(details) : details,
  };
  if (isRoleEvent) doc.details.role = event.aggregateId;
  if (options.erased) doc.personalDataErased = true;
  return doc;
}

/** An entry for something the profile service itself did (exports, denied admin calls). */
export function profileAuditEntry(input: {
  action: string;
  actorId: string | null;
  userId?: string | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
  retentionDays: number;
  now?: Date;
}): AuditDoc {
  const now = input.now ?? new Date();
  const eventId = randomUUID();
  return {
    _id: eventId,
    eventId,
    action: input.action,
    actorId: input.actorId,
    userId: input.userId ?? null,
    ip: input.ip,
    requestId: input.requestId,
    occurredAt: now,
    recordedAt: now,
    expiresAt: new Date(now.getTime() + input.retentionDays * DAY_MS),
    source: 'profile',
    details: auditDetails(input.details),
  };
}

/** The API's view of an entry. */
export function toAuditView(doc: AuditDoc) {
  return {
    id: doc.eventId,
    action: doc.action,
    actorId: doc.actorId,
    userId: doc.userId,
    ip: doc.ip,
    requestId: doc.requestId,
    occurredAt: doc.occurredAt.toISOString(),
    source: doc.source,
    details: doc.details,
  };
}

export type AuditView = ReturnType<typeof toAuditView>;
