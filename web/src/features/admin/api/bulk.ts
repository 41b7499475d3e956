import { useMutation, useQueryClient } from '@tanstack/react-query';
import { session } from '../../../lib/session/session-manager.ts';

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

export interface BulkInput {
  ids: string[];
  action: BulkAction;
  role?: string;
  dryRun: boolean;
}

export interface BulkResult {
  id: string;
  ok: boolean;
  code?: string;
  from?: string;
  to?: string;
}

export interface BulkAnswer {
  dryRun: boolean;
  results: BulkResult[];
}

export function runBulk(input: BulkInput): Promise<BulkAnswer> {
  return session.request<BulkAnswer>('/api/v1/accounts/bulk', { method: 'POST', body: input });
}

export function useBulk() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: runBulk,
    onSuccess: async (answer) => {
      // A real run changed accounts: every admin list and count may be stale now.
      if (!answer.dryRun) await client.invalidateQueries({ queryKey: ['admin'] });
    },
  });
}
