// Mirrors the profile service's PATCH /users/me rules (services/profile/src/routes/schemas.ts) so
// mistakes are caught while typing; the server stays the judge and its field errors are shown too.
import { z } from 'zod';
import type { ProblemFieldError } from '../../lib/http.ts';
import { profileTextFields, type ProfileTextField } from '../../lib/profile/own-profile.ts';

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- single-line fields refuse line breaks as well
const CONTROL_OR_NEWLINE = /[\u0000-\u001f\u007f\u2028\u2029]/;
const PHONE = /^\+?[0-9][0-9 ().-]{2,31}$/;
const httpUrl = z.url({ protocol: /^https?$/ });

export const profileErrorKeys = {
  maxLength100: 'profile.errors.maxLength100',
  maxLength1000: 'profile.errors.maxLength1000',
  maxLength2048: 'profile.errors.maxLength2048',
  singleLine: 'profile.errors.singleLine',
  controlCharacters: 'profile.errors.controlCharacters',
  phone: 'profile.errors.phone',
  website: 'profile.errors.website',
} as const;
const k = profileErrorKeys;

const line = z
  .string()
  .trim()
  .max(100, k.maxLength100)
  .refine((v) => !CONTROL_OR_NEWLINE.test(v), k.singleLine);

export const profileFormSchema = z.object({
  firstName: line,
  lastName: line,
  displayName: line,
  bio: z
    .string()
    .trim()
    .max(1000, k.maxLength1000)
    .refine((v) => !CONTROL.test(v), k.controlCharacters),
  phone: z
    .string()
    .trim()
    .refine((v) => v === '' || PHONE.test(v), k.phone),
  location: line,
  website: z
    .string()
    .trim()
    .max(2048, k.maxLength2048)
    .refine((v) => v === '' || httpUrl.safeParse(v).success, k.website),
  jobTitle: line,
  company: line,
});
export type ProfileFormValues = z.infer<typeof profileFormSchema>;

/** Empty fields are cleared on the server (null), not stored as empty strings. */
export function toProfilePatch(values: ProfileFormValues): Record<ProfileTextField, string | null> {
  return Object.fromEntries(profileTextFields.map((f) => [f, values[f] || null])) as Record<
    ProfileTextField,
    string | null
  >;
}

const maxKeyOf: Record<ProfileTextField, string> = {
  firstName: k.maxLength100,
  lastName: k.maxLength100,
  displayName: k.maxLength100,
  bio: k.maxLength1000,
  phone: k.phone,
  location: k.maxLength100,
  website: k.maxLength2048,
  jobTitle: k.maxLength100,
  company: k.maxLength100,
};
const formatKeyOf: Record<ProfileTextField, string> = {
  ...Object.fromEntries(profileTextFields.map((f) => [f, k.singleLine])),
  bio: k.controlCharacters,
  phone: k.phone,
  website: k.website,
} as Record<ProfileTextField, string>;

/** A server field error (`{path: "website", code: "invalid_format"}`) as field + message key. */
export function serverFieldError(
  error: ProblemFieldError,
): { field: ProfileTextField; messageKey: string } | null {
  const field = error.path
    .split('.')
    .find((part): part is ProfileTextField =>
      (profileTextFields as readonly string[]).includes(part),
    );
  if (!field) return null;
  return { field, messageKey: error.code === 'too_big' ? maxKeyOf[field] : formatKeyOf[field] };
}
