import type { Db, Filter, FindCursor } from 'mongodb';
import { ERASABLE_DETAIL_KEYS, type AuditDoc } from '../domain/audit.ts';
import { isDuplicateKey } from './mongo.ts';

export const AUDIT_LOGS = 'audit_logs';

export interface AuditFilter {
  userId?: string;
  actorId?: string;
  action?: string;
  from?: Date;
  to?: Date;
}

/** Where the previous page ended (entries are newest first). */
export interface AuditPosition {
  occurredAt: Date;
  id: string;
}

function toMongoFilter(filter: AuditFilter, after?: AuditPosition): Filter<AuditDoc> {
  const and: Filter<AuditDoc>[] = [];
  // Values are typed strings and dates by the route schemas; equality only, never operators.
  if (filter.userId !== undefined) and.push({ userId: filter.userId });
  if (filter.actorId !== undefined) and.push({ actorId: filter.actorId });
  if (filter.action !== undefined) and.push({ action: filter.action });
  if (filter.from !== undefined) and.push({ occurredAt: { $gte: filter.from } });
  if (filter.to !== undefined) and.push({ occurredAt: { $lte: filter.to } });
  if (after) {
    and.push({
      $or: [
        { occurredAt: { $lt: after.occurredAt } },
        { occurredAt: after.occurredAt, _id: { $lt: after.id } },
      ],
    });
  }
  return and.length ? { $and: and } : {};
}

/**
 * Append-only access to `audit_logs`: insert, read, and the two deletions the system itself
 * performs (retention expiry and erasure of personal data). Nothing here changes an entry's
 * action, actor, target or time.
 */
export function createAuditRepository(db: Db) {
  const logs = db.collection<AuditDoc>(AUDIT_LOGS);
  const newestFirst = { occurredAt: -1, _id: -1 } as const;
  return {
    /** false when an entry with this event id exists already (a redelivery). */
    async insert(entry: AuditDoc): Promise<boolean> {
      try {
        await logs.insertOne(entry);
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },

    async exists(eventId: string): Promise<boolean> {
      return (await logs.countDocuments({ _id: eventId }, { limit: 1 })) > 0;
    },

    async page(filter: AuditFilter, limit: number, after?: AuditPosition): Promise<AuditDoc[]> {
      return logs.find(toMongoFilter(filter, after)).sort(newestFirst).limit(limit).toArray();
    },

    cursor(filter: AuditFilter, max: number): FindCursor<AuditDoc> {
      return logs.find(toMongoFilter(filter)).sort(newestFirst).limit(max).batchSize(500);
    },

    /** Everything about or by one user (their own data export). */
    userCursor(userId: string, max: number): FindCursor<AuditDoc> {
      return logs
        .find({ $or: [{ userId }, { actorId: userId }] })
        .sort(newestFirst)
        .limit(max)
        .batchSize(500);
    },

    /** Keeps the entries (who did what, when) but removes the personal data they hold. */
    async erasePersonalData(userId: string): Promise<number> {
      const unset = Object.fromEntries(
        ERASABLE_DETAIL_KEYS.map((k) => [`details.${k}`, '' as const]),
      );
      const result = await logs.updateMany(
        { $or: [{ userId }, { actorId: userId }] },
        { $set: { ip: null, personalDataErased: true }, $unset: unset },
      );
      return result.modifiedCount;
    },

    /** Retention: deletes entries past `expiresAt` (what a TTL index does where there is one). */
    async purgeExpired(now = new Date()): Promise<number> {
      return (await logs.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
