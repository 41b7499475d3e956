import type { Db, Filter, UpdateFilter } from 'mongodb';
import {
  defaultPreferences,
  emptyOwnFields,
  sortNameOf,
  type AccountSnapshot,
  type AvatarMeta,
  type ProfileDoc,
} from '../domain/profile-model.ts';
import { isDuplicateKey } from './mongo.ts';
import type { ProfileCache } from './profile-cache.ts';

export const PROFILES = 'user_profiles';
export const ERASED_USERS = 'erased_users';

export interface ErasedUser {
  _id: string;
  erasedAt: Date;
}

export type SnapshotResult = 'applied' | 'stale' | 'erased';

/** Every top-level and preference default as dotted paths, for `$setOnInsert`. */
function insertDefaults(userId: string, now: Date): Record<string, unknown> {
  const flat: Record<string, unknown> = {
    userId,
    email: null,
    emailLower: '',
    role: null,
    status: null,
    emailVerified: false,
    mfaEnabled: false,
    createdAt: now,
    lastLoginAt: null,
    ...emptyOwnFields(),
    sortName: '',
    avatar: null,
    updatedAt: now,
  };
  const walk = (prefix: string, value: object) => {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'object' && v !== null) walk(`${prefix}${k}.`, v);
      else flat[`${prefix}${k}`] = v;
    }
  };
  walk('preferences.', defaultPreferences);
  return flat;
}

/** `$setOnInsert` may not touch a path that `$set` touches (or its parents or children). */
function withoutConflicts(defaults: Record<string, unknown>, set: Record<string, unknown>) {
  const setPaths = Object.keys(set);
  const conflicts = (path: string) =>
    setPaths.some((p) => p === path || path.startsWith(`${p}.`) || p.startsWith(`${path}.`));
  return Object.fromEntries(Object.entries(defaults).filter(([path]) => !conflicts(path)));
}

export function createProfilesRepository(db: Db, cache?: ProfileCache) {
  const profiles = db.collection<ProfileDoc>(PROFILES);
  const erased = db.collection<ErasedUser>(ERASED_USERS);
  const invalidate = async (id: string) => cache?.invalidate(id);

  async function isErased(userId: string): Promise<boolean> {
    return (await erased.countDocuments({ _id: userId }, { limit: 1 })) > 0;
  }

  /** Upserts the caller's own document; refuses (null) for erased users. */
  async function upsert(userId: string, set: Record<string, unknown>): Promise<ProfileDoc | null> {
    if (await isErased(userId)) return null;
    const now = new Date();
    const update = { ...set, updatedAt: now };
    const after = await profiles.findOneAndUpdate(
      { _id: userId },
      { $set: update, $setOnInsert: withoutConflicts(insertDefaults(userId, now), update) },
      { upsert: true, returnDocument: 'after' },
    );
    // An erasure may have run between the check and the write: it wins.
    if (await isErased(userId)) {
      await profiles.deleteOne({ _id: userId });
      await invalidate(userId);
      return null;
    }
    await invalidate(userId);
    return after;
  }

  return {
    isErased,

    async findById(userId: string): Promise<ProfileDoc | null> {
      const load = () => profiles.findOne({ _id: userId });
      return cache ? cache.read(userId, load) : load();
    },

    /** Own fields and `preferences.*` paths; keeps `sortName` in step with the names. */
    async updateOwn(userId: string, set: Record<string, unknown>): Promise<ProfileDoc | null> {
      const after = await upsert(userId, set);
      if (!after || !('firstName' in set || 'lastName' in set)) return after;
      const sortName = sortNameOf(after);
      // Conditional on the names we computed from, so a concurrent edit cannot be overwritten.
      await profiles.updateOne(
        { _id: userId, firstName: after.firstName, lastName: after.lastName },
        { $set: { sortName } },
      );
      await invalidate(userId);
      return { ...after, sortName };
    },

    /** Replaces (or removes, with null) the avatar; returns the previous one for cleanup. */
    async setAvatar(
      userId: string,
      avatar: AvatarMeta | null,
    ): Promise<{ previous: AvatarMeta | null; profile: ProfileDoc } | null> {
      if (avatar === null) {
        const before = await profiles.findOneAndUpdate(
          { _id: userId },
          { $set: { avatar: null, updatedAt: new Date() } },
          { returnDocument: 'before' },
        );
        await invalidate(userId);
        return before ? { previous: before.avatar, profile: { ...before, avatar: null } } : null;
      }
      const before = await profiles.findOne({ _id: userId }, { projection: { avatar: 1 } });
      const after = await upsert(userId, { avatar });
      return after ? { previous: before?.avatar ?? null, profile: after } : null;
    },

    /**
     * Applies an event's account snapshot unless a newer one (or this one) was applied already:
     * the `sync` high-water mark makes replays and out-of-order deliveries no-ops.
     */
    async applyAccountSnapshot(
      snapshot: AccountSnapshot,
      mark: { at: Date; position: string },
    ): Promise<SnapshotResult> {
      const { userId, firstName, lastName, ...account } = snapshot;
      if (await isErased(userId)) return 'erased';
      const now = new Date();
      const set = {
        ...account,
        emailLower: (account.email ?? '').toLowerCase(),
        sync: mark,
        updatedAt: now,
      };
      const names = { firstName, lastName, sortName: sortNameOf({ firstName, lastName }) };
      const filter: Filter<ProfileDoc> = {
        _id: userId,
        $or: [
          { sync: { $exists: false } },
          { 'sync.at': { $lt: mark.at } },
          { 'sync.at': mark.at, 'sync.position': { $lt: mark.position } },
        ],
      };
      const update: UpdateFilter<ProfileDoc> = {
        $set: set,
        $setOnInsert: withoutConflicts({ ...insertDefaults(userId, now), ...names }, set),
      };
      try {
        await profiles.updateOne(filter, update, { upsert: true });
      } catch (error) {
        // The document exists but the filter refused it: this snapshot is not newer.
        if (isDuplicateKey(error)) return 'stale';
        throw error;
      }
      // Names come from the account until the user sets their own.
      if (firstName !== null || lastName !== null) {
        await profiles.updateOne({ _id: userId, firstName: null, lastName: null }, { $set: names });
      }
      if (await isErased(userId)) {
        await profiles.deleteOne({ _id: userId });
        await invalidate(userId);
        return 'erased';
      }
      await invalidate(userId);
      return 'applied';
    },

    /** Tombstone first, then delete: a concurrent snapshot sees the tombstone and backs off. */
    async erase(userId: string): Promise<ProfileDoc | null> {
      await erased.updateOne(
        { _id: userId },
        { $setOnInsert: { erasedAt: new Date() } },
        { upsert: true },
      );
      const removed = await profiles.findOneAndDelete({ _id: userId });
      await invalidate(userId);
      return removed;
    },

    async findByEmail(email: string): Promise<ProfileDoc | null> {
      return profiles.findOne({ emailLower: email.toLowerCase() });
    },
  };
}

export type ProfilesRepository = ReturnType<typeof createProfilesRepository>;
