// Values in the profile service's views and filters: preferences and account statuses.

export const languages = ['en', 'es', 'fr', 'ar'] as const;
export type Language = (typeof languages)[number];

export const themes = ['light', 'dark', 'system'] as const;
export type Theme = (typeof themes)[number];

/** An account's status, owned by the auth service and copied into the profile's read model. */
export const accountStatuses = ['active', 'inactive', 'suspended'] as const;
export type AccountStatus = (typeof accountStatuses)[number];

export function isAccountStatus(value: unknown): value is AccountStatus {
  return typeof value === 'string' && (accountStatuses as readonly string[]).includes(value);
}
