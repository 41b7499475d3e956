import { forbidden, notFound } from '@ums/service-kit/errors';
import type { Principal } from '@ums/service-kit/route-table';
import type { ProfilesRepository } from '../data/profiles-repository.ts';
import {
  defaultPreferences,
  emptyOwnFields,
  toProfileView,
  type Language,
  type NotificationPreferences,
  type OwnFields,
  type ProfileDoc,
  type ProfileView,
  type Theme,
} from './profile-model.ts';

/** A validated self-service change: only own fields and preferences can appear here. */
export interface ProfilePatch extends Partial<OwnFields> {
  preferences?: {
    language?: Language;
    theme?: Theme;
    timezone?: string;
    notifications?: Partial<NotificationPreferences>;
  };
}

/** The `$set` paths for a patch; nested preferences become dotted paths so others are kept. */
export function patchToSet(patch: ProfilePatch): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  const { preferences, ...own } = patch;
  for (const [key, value] of Object.entries(own)) if (value !== undefined) set[key] = value;
  if (preferences) {
    const { notifications, ...rest } = preferences;
    for (const [key, value] of Object.entries(rest)) {
      if (value !== undefined) set[`preferences.${key}`] = value;
    }
    for (const [key, value] of Object.entries(notifications ?? {})) {
      if (value !== undefined) set[`preferences.notifications.${key}`] = value;
    }
  }
  return set;
}

/** What GET /users/me shows before the registration event has reached this service. */
function placeholder(principal: Principal): ProfileDoc {
  const now = new Date();
  return {
    _id: principal.userId,
    userId: principal.userId,
    email: null,
    emailLower: '',
    role: principal.role,
    status: null,
    emailVerified: false,
    mfaEnabled: false,
    createdAt: now,
    lastLoginAt: null,
    ...emptyOwnFields(),
    sortName: '',
    preferences: defaultPreferences,
    avatar: null,
    updatedAt: now,
  };
}

const gone = () => notFound('profile.not_found', 'No profile exists for this user.');

// Documents from the in-process cache are frozen and shared by every request that reads them, so
// their view is built once per document (and frozen as well); other documents are request-owned.
const sharedViews = new WeakMap<ProfileDoc, ProfileView>();
function viewOf(doc: ProfileDoc): ProfileView {
  if (!Object.isFrozen(doc)) return toProfileView(doc);
  let view = sharedViews.get(doc);
  if (!view) {
    view = Object.freeze(toProfileView(doc));
    sharedViews.set(doc, view);
  }
  return view;
}

export function createProfileService(deps: { profiles: ProfilesRepository }) {
  const { profiles } = deps;

  async function getOwn(principal: Principal): Promise<ProfileView> {
    const doc = await profiles.findById(principal.userId);
    if (doc) return viewOf(doc);
    if (await profiles.isErased(principal.userId)) throw gone();
    return toProfileView(placeholder(principal));
  }

  return {
    getOwn,

    async updateOwn(principal: Principal, patch: ProfilePatch): Promise<ProfileView> {
      const set = patchToSet(patch);
      const doc =
        Object.keys(set).length === 0
          ? await profiles.findById(principal.userId)
          : await profiles.updateOwn(principal.userId, set);
      if (doc) return viewOf(doc);
      if (await profiles.isErased(principal.userId)) throw gone();
      return toProfileView(placeholder(principal));
    },

    /**
     * One user's profile: the caller's own, or anyone's with users:read. The permission is checked
     * before the lookup, so callers without it learn nothing about which ids exist.
     */
    async getUser(principal: Principal, userId: string, canReadOthers: boolean) {
      if (userId === principal.userId) return getOwn(principal);
      if (!canReadOthers) {
        throw forbidden('auth.forbidden', "Reading another user's profile needs users:read.");
      }
      const doc = await profiles.findById(userId);
      if (!doc) throw gone();
      return viewOf(doc);
    },
  };
}

export type ProfileService = ReturnType<typeof createProfileService>;
