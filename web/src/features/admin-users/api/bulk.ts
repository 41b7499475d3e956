import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { BulkRequest, BulkResponse } from '@ums/contracts/bulk-schemas';
import { session } from '../../../lib/session/session-manager.ts';

export function runBulk(input: BulkRequest): Promise<BulkResponse> {
  return session.request<BulkResponse>('/api/v1/accounts/bulk', { method: 'POST', body: input });
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
