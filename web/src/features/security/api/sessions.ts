import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { session } from '../../../lib/session/session-manager.ts';

export interface ActiveSession {
  id: string;
  device: string | null;
  userAgent: string | null;
  ipAddress: string | null;
  createdAt: string;
  lastUsedAt: string;
  current: boolean;
}

export const listSessions = () => session.request<ActiveSession[]>('/api/v1/auth/sessions');

export const sessionsQueryOptions = queryOptions({
  queryKey: ['security', 'sessions'],
  queryFn: listSessions,
});

export function useSessions() {
  return useQuery(sessionsQueryOptions);
}

export const revokeSession = (id: string) =>
  session.request<undefined>(`/api/v1/auth/sessions/${encodeURIComponent(id)}`, {
    method: 'DELETE',
  });

export function useRevokeSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revokeSession,
    onSuccess: (_, id) =>
      queryClient.setQueryData<ActiveSession[]>(sessionsQueryOptions.queryKey, (sessions) =>
        sessions?.filter((s) => s.id !== id),
      ),
  });
}

/** Ends every session, this one included (the caller then forgets the local one). */
export const logoutAll = () =>
  session.request<undefined>('/api/v1/auth/logout-all', { method: 'POST' });

export function useLogoutAll() {
  return useMutation({ mutationFn: logoutAll });
}
