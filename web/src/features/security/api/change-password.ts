import { useMutation, useQueryClient } from '@tanstack/react-query';
import { session } from '../../../lib/session/session-manager.ts';
import { sessionsQueryOptions } from './sessions.ts';

export interface ChangePasswordInput {
  currentPassword: string;
  newPassword: string;
}

/** Every other session is signed out; the answer says how many. */
export function changePassword(input: ChangePasswordInput): Promise<{ sessionsRevoked: number }> {
  return session.request('/api/v1/auth/password/change', { body: input });
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: changePassword,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionsQueryOptions.queryKey }),
  });
}
