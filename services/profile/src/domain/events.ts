import { z } from 'zod';
import { ACCOUNT_STATUSES, type AccountSnapshot } from './profile-model.ts';

/** An entry of the auth service's event stream, parsed. */
export interface StreamEvent {
  /** The stream entry id in a form that sorts as text (publish order). */
  position: string;
  eventId: string;
  type: string;
  aggregateId: string | null;
  occurredAt: Date;
  actorId: string | null;
  requestId: string | null;
  ip: string | null;
  data: Record<string, unknown>;
}

const nullableString = z
  .string()
  .max(256)
  .nullish()
  .transform((v) => v ?? null);

const entrySchema = z.object({
  eventId: z.string().min(1).max(64),
  type: z
    .string()
    .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/)
    .max(128),
  aggregateId: z
    .string()
    .max(128)
    .optional()
    .transform((v) => (v ? v : null)),
  occurredAt: z.iso.datetime({ offset: true }).transform((v) => new Date(v)),
  payload: z.string().max(1_000_000),
});

const payloadSchema = z.object({
  actorId: nullableString,
  requestId: nullableString,
  ip: nullableString,
  data: z.record(z.string(), z.unknown()).default({}),
});

export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
}

/**
 * `<ms>-<seq>` padded so that text order is publish order. Events of one transaction share
 * `occurredAt` (PostgreSQL's now()); the relay publishes them in outbox order, so the entry id
 * breaks the tie the right way.
 */
export function streamPosition(entryId: string): string {
  const match = /^(\d{1,15})-(\d{1,19})$/.exec(entryId);
  if (!match) throw new MalformedEventError(`not a stream entry id: ${entryId.slice(0, 40)}`);
  return `${(match[1] as string).padStart(15, '0')}-${(match[2] as string).padStart(19, '0')}`;
}

/** Parses the flat `[field, value, ...]` array of a stream entry; throws MalformedEventError. */
export function parseStreamEntry(entryId: string, fields: readonly string[]): StreamEvent {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2)
    record[fields[i] as string] = fields[i + 1] as string;
  const entry = entrySchema.safeParse(record);
  if (!entry.success)
    throw new MalformedEventError(`invalid entry: ${entry.error.issues[0]?.message}`);
  let json: unknown;
  try {
    json = JSON.parse(entry.data.payload);
  } catch {
    throw new MalformedEventError('payload is not JSON');
  }
  const payload = payloadSchema.safeParse(json);
  if (!payload.success) throw new MalformedEventError('payload has the wrong shape');
  const { payload: _raw, ...rest } = entry.data;
  return { position: streamPosition(entryId), ...rest, ...payload.data };
}

const isoDate = z.iso.datetime({ offset: true }).transform((v) => new Date(v));
const name = z
  .string()
  .max(100)
  .nullish()
  .transform((v) => v ?? null);

const userSnapshotSchema = z.object({
  id: z.string().min(1).max(64),
  email: z
    .string()
    .max(320)
    .nullish()
    .transform((v) => v ?? null),
  firstName: name,
  lastName: name,
  role: z
    .string()
    .max(64)
    .nullish()
    .transform((v) => v ?? null),
  status: z
    .enum(ACCOUNT_STATUSES)
    .nullish()
    .transform((v) => v ?? null),
  emailVerified: z.boolean().default(false),
  mfaEnabled: z.boolean().default(false),
  createdAt: isoDate,
  lastLoginAt: isoDate.nullish().transform((v) => v ?? null),
});

/**
 * The account snapshot carried by `user.*` and `auth.login_succeeded` events (`data.user`), or
 * undefined when the event has none (or one for another user, or one that does not parse).
 */
export function accountSnapshotOf(event: StreamEvent): AccountSnapshot | undefined {
  const parsed = userSnapshotSchema.safeParse(event.data.user);
  if (!parsed.success) return undefined;
  const { id, ...rest } = parsed.data;
  if (event.aggregateId !== null && event.aggregateId !== id) return undefined;
  return { userId: id, ...rest };
}

/** The user a `user.deleted` event erases. */
export function deletedUserOf(event: StreamEvent): string | undefined {
  const fromData = typeof event.data.userId === 'string' ? event.data.userId : undefined;
  return event.aggregateId ?? fromData;
}
