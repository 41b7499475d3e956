// The profile document as stored in `user_profiles`, its defaults, and the JSON views the API
// returns. One document per user, `_id` = the auth service's user id (also kept as `userId`).

export const LANGUAGES = ['en', 'es', 'fr', 'ar'] as const;
export const THEMES = ['light', 'dark', 'system'] as const;
export const ACCOUNT_STATUSES = ['active', 'inactive', 'suspended'] as const;

export type Language = (typeof LANGUAGES)[number];
export type Theme = (typeof THEMES)[number];
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export interface NotificationPreferences {
  email: boolean;
  push: boolean;
  sms: boolean;
}

export interface Preferences {
  language: Language;
  theme: Theme;
  timezone: string;
  notifications: NotificationPreferences;
}

/** Fields the user edits themself (PATCH /users/me). */
export interface OwnFields {
  firstName: string | null;
  lastName: string | null;
  displayName: string | null;
  bio: string | null;
  phone: string | null;
  location: string | null;
  website: string | null;
  jobTitle: string | null;
  company: string | null;
}

export const OWN_FIELD_NAMES = [
  'firstName',
  'lastName',
  'displayName',
  'bio',
  'phone',
  'location',
  'website',
  'jobTitle',
  'company',
] as const satisfies readonly (keyof OwnFields)[];

/** The read-model copy of the auth service's account, kept in sync by events. */
export interface AccountFields {
  email: string | null;
  role: string | null;
  status: AccountStatus | null;
  emailVerified: boolean;
  mfaEnabled: boolean;
  createdAt: Date;
  lastLoginAt: Date | null;
}

/** The account part of an event's user snapshot, validated. */
export interface AccountSnapshot extends AccountFields {
  userId: string;
  firstName: string | null;
  lastName: string | null;
}

export interface AvatarMeta {
  /** Random per upload: part of the storage keys and of `avatarUrl`, so caches never go stale. */
  version: string;
  keys: { '256': string; '64': string };
  etags: { '256': string; '64': string };
  bytes: { '256': number; '64': number };
  sourceType: string;
  updatedAt: Date;
}

export interface ProfileDoc extends OwnFields, AccountFields {
  _id: string;
  userId: string;
  /** Lower-cased copies for case-insensitive sorting (no collation on FerretDB). */
  emailLower: string;
  sortName: string;
  preferences: Preferences;
  avatar: AvatarMeta | null;
  /**
   * High-water mark of the last account snapshot applied: its time, then its stream position
   * for events of the same instant.
   */
  sync?: { at: Date; position: string };
  updatedAt: Date;
}

export const defaultPreferences: Preferences = {
  language: 'en',
  theme: 'system',
  timezone: 'UTC',
  notifications: { email: true, push: false, sms: false },
};

export function emptyOwnFields(): OwnFields {
  return {
    firstName: null,
    lastName: null,
    displayName: null,
    bio: null,
    phone: null,
    location: null,
    website: null,
    jobTitle: null,
    company: null,
  };
}

/** Sort keys derived from names and email; recomputed on every write that touches them. */
export function sortNameOf(p: Pick<OwnFields, 'firstName' | 'lastName'>): string {
  return `${p.lastName ?? ''} ${p.firstName ?? ''}`.trim().toLowerCase();
}

export function avatarUrlOf(p: Pick<ProfileDoc, '_id' | 'avatar'>): string | null {
  return p.avatar
    ? `/api/v1/users/${encodeURIComponent(p._id)}/avatar?v=${encodeURIComponent(p.avatar.version)}`
    : null;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

// A field a document never had (a profile made from the registration event has no lastName until
// one is given) is null in every view, as the documented schema says: never left out.
const orNull = <T>(v: T | null | undefined): T | null => v ?? null;

/** What a directory row shows: the account plus public-ish profile fields. */
export function toSummaryView(p: ProfileDoc) {
  return {
    id: p._id,
    email: orNull(p.email),
    firstName: orNull(p.firstName),
    lastName: orNull(p.lastName),
    displayName: orNull(p.displayName),
    jobTitle: orNull(p.jobTitle),
    location: orNull(p.location),
    avatarUrl: avatarUrlOf(p),
    role: orNull(p.role),
    status: orNull(p.status),
    emailVerified: p.emailVerified,
    mfaEnabled: p.mfaEnabled,
    createdAt: iso(p.createdAt),
    lastLoginAt: iso(p.lastLoginAt),
  };
}

/** The full profile: the owner's view, or an admin's with users:read. */
export function toProfileView(p: ProfileDoc) {
  return {
    ...toSummaryView(p),
    bio: orNull(p.bio),
    phone: orNull(p.phone),
    website: orNull(p.website),
    company: orNull(p.company),
    preferences: p.preferences,
    updatedAt: iso(p.updatedAt),
  };
}

export type ProfileView = ReturnType<typeof toProfileView>;
export type SummaryView = ReturnType<typeof toSummaryView>;
