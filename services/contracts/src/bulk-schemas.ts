// The bulk endpoint's request and answer (`POST /api/v1/accounts/bulk`).
import { z } from 'zod';
import { bulkActions, MAX_BULK_IDS } from './bulk.ts';

/**
 * The request's shape. The auth service checks more than this (ids unique, `role` a role name
 * and given exactly for `change_role`) and answers a violation with 400.
 */
export const bulkRequestSchema = z.strictObject({
  ids: z.array(z.uuid()).min(1).max(MAX_BULK_IDS),
  action: z.enum(bulkActions),
  role: z.string().optional(),
  /** Run every change in a transaction that is rolled back: the answer says what would happen. */
  dryRun: z.boolean().default(false),
});

export type BulkRequest = z.input<typeof bulkRequestSchema>;

/** One id's outcome: `code` says why it was refused (the single endpoints' codes). */
export const bulkResultSchema = z.object({
  id: z.string(),
  ok: z.boolean(),
  code: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
});

export type BulkResult = z.infer<typeof bulkResultSchema>;

/** One result per id, in request order. */
export const bulkResponseSchema = z.object({
  dryRun: z.boolean(),
  results: z.array(bulkResultSchema),
});

export type BulkResponse = z.infer<typeof bulkResponseSchema>;
