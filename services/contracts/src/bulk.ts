// Bulk account actions (`POST /api/v1/accounts/bulk` on the auth service).

/** Every action, in the order the admin console offers them. */
export const bulkActions = [
  'suspend',
  'activate',
  'deactivate',
  'change_role',
  'unlock',
  'revoke_sessions',
  'delete',
] as const;

export type BulkAction = (typeof bulkActions)[number];

/** The most ids one request may name. */
export const MAX_BULK_IDS = 1000;
