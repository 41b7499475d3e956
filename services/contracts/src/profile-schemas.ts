// The profile service's JSON views: a directory row, a whole profile (`/users/me`,
// `/users/{id}`), an audit entry, and the cursor page around lists of them.
import { z } from 'zod';
import { serviceNames } from './paths.ts';
import { accountStatuses, languages, themes } from './profile.ts';

const nullableString = z.string().nullable();

export const preferencesViewSchema = z.object({
  language: z.enum(languages),
  theme: z.enum(themes),
  timezone: z.string(),
  notifications: z.object({ email: z.boolean(), push: z.boolean(), sms: z.boolean() }),
});

export type PreferencesView = z.infer<typeof preferencesViewSchema>;

/** A row of the admin directory (`GET /api/v1/users`). */
export const summaryViewSchema = z.object({
  id: z.string(),
  email: nullableString,
  firstName: nullableString,
  lastName: nullableString,
  displayName: nullableString,
  jobTitle: nullableString,
  location: nullableString,
  avatarUrl: nullableString,
  role: nullableString,
  status: z.enum(accountStatuses).nullable(),
  emailVerified: z.boolean(),
  mfaEnabled: z.boolean(),
  createdAt: nullableString,
  lastLoginAt: nullableString,
});

export type SummaryView = z.infer<typeof summaryViewSchema>;

/** A whole profile: the summary plus the fields only its page shows, and the preferences. */
export const profileViewSchema = summaryViewSchema.extend({
  bio: nullableString,
  phone: nullableString,
  website: nullableString,
  company: nullableString,
  preferences: preferencesViewSchema,
  updatedAt: nullableString,
});

export type ProfileView = z.infer<typeof profileViewSchema>;

/** An audit log entry (`GET /api/v1/audit-logs`), written by either service. */
export const auditViewSchema = z.object({
  id: z.string(),
  action: z.string(),
  actorId: nullableString,
  userId: nullableString,
  ip: nullableString,
  requestId: nullableString,
  occurredAt: z.string(),
  source: z.enum(serviceNames),
  details: z.record(z.string(), z.unknown()),
});

export type AuditView = z.infer<typeof auditViewSchema>;

/** A page of a list; `nextCursor` asks for the next one, null on the last. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export type Page<T> = z.infer<ReturnType<typeof pageOf<z.ZodType<T>>>>;
