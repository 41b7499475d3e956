// Request and response schemas of the HTTP contract. Every object is strict: an unknown or
// privileged field (role, status, email, emailVerified, __proto__, $where...) is a 400, and query
// strings accept exactly one string per declared key, so `q[$ne]=` or `?limit=1&limit=2` fail.
import { z } from 'zod';
import { ACCOUNT_STATUSES, LANGUAGES, THEMES } from '../domain/profile-model.ts';
import { SORT_OPTIONS } from '../domain/directory.ts';
import { CANONICAL_TIME_ZONES, isValidTimeZone } from '../domain/timezones.ts';
import { USER_ID_PATTERN } from './access-control.ts';
import { multiLine, singleLine } from '@ums/service-kit/text-fields';

// A name or email fragment: operator syntax (`{"$ne": null}`) has no place in one.
// eslint-disable-next-line no-control-regex -- a single line of plain text
const PLAIN_TEXT = /^[^${}\u0000-\u001f\u007f\u2028\u2029]+$/;

const line = (max: number) => singleLine(max).nullable().optional();

export const profilePatchSchema = z
  .strictObject({
    firstName: line(100),
    lastName: line(100),
    displayName: line(100),
    bio: multiLine(1000).nullable().optional(),
    phone: z
      .string()
      .regex(/^\+?[0-9][0-9 ().-]{2,31}$/, { error: 'must be a phone number' })
      .nullable()
      .optional(),
    location: line(100),
    website: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .max(2048)
      .nullable()
      .optional(),
    jobTitle: line(100),
    company: line(100),
    preferences: z
      .strictObject({
        language: z.enum(LANGUAGES).optional(),
        theme: z.enum(THEMES).optional(),
        timezone: z
          .string()
          .max(64)
          .refine(isValidTimeZone, { error: 'must be an IANA time zone' })
          // The document lists the canonical names; aliases ICU resolves are accepted as well.
          .meta({ enum: CANONICAL_TIME_ZONES })
          .optional(),
        notifications: z
          .strictObject({
            email: z.boolean().optional(),
            push: z.boolean().optional(),
            sms: z.boolean().optional(),
          })
          .optional(),
      })
      .optional(),
  })
  .describe('Own profile fields and preferences; anything else is refused.');

const preferencesView = z.object({
  language: z.enum(LANGUAGES),
  theme: z.enum(THEMES),
  timezone: z.string(),
  notifications: z.object({ email: z.boolean(), push: z.boolean(), sms: z.boolean() }),
});

const nullableString = z.string().nullable();

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
  status: z.enum(ACCOUNT_STATUSES).nullable(),
  emailVerified: z.boolean(),
  mfaEnabled: z.boolean(),
  createdAt: nullableString,
  lastLoginAt: nullableString,
});

export const profileViewSchema = summaryViewSchema.extend({
  bio: nullableString,
  phone: nullableString,
  website: nullableString,
  company: nullableString,
  preferences: preferencesView,
  updatedAt: nullableString,
});

export const userIdParams = z.strictObject({
  id: z.string().regex(USER_ID_PATTERN, { error: 'must be a user id' }),
});

const dateTime = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((v) => new Date(v));
const limit = z
  .string()
  .regex(/^(?:[1-9][0-9]?|100)$/, { error: 'must be an integer from 1 to 100' })
  .transform(Number)
  .optional();
const cursor = z
  .string()
  .max(512)
  .regex(/^[A-Za-z0-9_-]+$/)
  .optional();

const directoryFilters = {
  q: z
    .string()
    .max(100)
    .regex(PLAIN_TEXT, { error: 'must be plain text (no $, { or })' })
    .optional(),
  role: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,63}$/)
    .optional(),
  status: z.enum(ACCOUNT_STATUSES).optional(),
  createdFrom: dateTime.optional(),
  createdTo: dateTime.optional(),
  sort: z.enum(SORT_OPTIONS).optional(),
};

export const directoryQuery = z.strictObject({ ...directoryFilters, limit, cursor });
export const exportFormat = z.enum(['csv', 'json']).default('csv');
export const directoryExportQuery = z.strictObject({ ...directoryFilters, format: exportFormat });

const auditFilters = {
  userId: z.string().regex(USER_ID_PATTERN).optional(),
  actorId: z
    .string()
    .regex(/^[A-Za-z0-9_.:@-]{1,128}$/)
    .optional(),
  action: z
    .string()
    .regex(/^[a-z][a-z0-9_.]{0,127}$/)
    .optional(),
  from: dateTime.optional(),
  to: dateTime.optional(),
};
export const auditQuery = z.strictObject({ ...auditFilters, limit, cursor });
export const auditExportQuery = z.strictObject({ ...auditFilters, format: exportFormat });

export const avatarQuery = z.strictObject({
  size: z.enum(['256', '64']).default('256'),
  v: z.string().max(64).optional(),
});

export const auditViewSchema = z.object({
  id: z.string(),
  action: z.string(),
  actorId: nullableString,
  userId: nullableString,
  ip: nullableString,
  requestId: nullableString,
  occurredAt: z.string(),
  source: z.enum(['auth', 'profile']),
  details: z.record(z.string(), z.unknown()),
});

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
