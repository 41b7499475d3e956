import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AccountStatus } from '@ums/contracts/profile';
import { session } from '../../../lib/session/session-manager.ts';

export interface Account {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  role: string;
  status: AccountStatus;
  emailVerified: boolean;
  mfaEnabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
  locked: boolean;
  lockedUntil: string | null;
  failedLoginCount: number;
}

const accountPath = (id: string) => `/api/v1/accounts/${encodeURIComponent(id)}`;

export function getAccount(id: string): Promise<Account> {
  return session.request<Account>(accountPath(id));
}

export const accountQueryOptions = (id: string) =>
  queryOptions({ queryKey: ['admin', 'account', id], queryFn: () => getAccount(id) });

export function useAccount(id: string) {
  return useQuery(accountQueryOptions(id));
}

export function updateAccount(
  id: string,
  patch: { status?: AccountStatus; role?: string },
): Promise<Account> {
  return session.request<Account>(accountPath(id), { method: 'PATCH', body: patch });
}

export function unlockAccount(id: string): Promise<Account> {
  return session.request<Account>(`${accountPath(id)}/unlock`, { method: 'POST' });
}

export function revokeSessions(id: string): Promise<{ revokedSessions: number }> {
  return session.request(`${accountPath(id)}/revoke-sessions`, { method: 'POST' });
}

export async function deleteAccount(id: string): Promise<void> {
  await session.request<undefined>(accountPath(id), { method: 'DELETE' });
}

/** A change to one account: the answer replaces the cached account, every list is refetched. */
function useAccountChange<I, O>(id: string, change: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: async (answer) => {
      const key = accountQueryOptions(id).queryKey;
      if (answer && typeof answer === 'object' && 'status' in answer) {
        client.setQueryData(key, answer as unknown as Account);
      }
      await client.invalidateQueries({
        queryKey: ['admin'],
        predicate: (query) => query.queryKey[1] !== 'account' || query.queryKey[2] !== id,
      });
    },
  });
}

export const useUpdateAccount = (id: string) =>
  useAccountChange(id, (patch: { status?: AccountStatus; role?: string }) =>
    updateAccount(id, patch),
  );
export const useUnlockAccount = (id: string) => useAccountChange(id, () => unlockAccount(id));
export const useRevokeSessions = (id: string) => useAccountChange(id, () => revokeSessions(id));

/** Deleting: the page of the account goes away, so only the lists are refreshed (no refetch of
 * the account that no longer exists). */
export function useDeleteAccount(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => deleteAccount(id),
    onSuccess: () => {
      client.removeQueries({ queryKey: ['admin', 'account', id] });
      client.removeQueries({ queryKey: ['admin', 'profile', id] });
      void client.invalidateQueries({ queryKey: ['admin', 'users'] });
      void client.invalidateQueries({ queryKey: ['admin', 'stats'] });
    },
  });
}
