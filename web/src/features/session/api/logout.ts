import { useMutation, useQueryClient } from '@tanstack/react-query';
import { requestJson } from '../../../lib/http.ts';
import { session } from '../../../lib/session/session-manager.ts';

export async function logout(): Promise<void> {
  try {
    await requestJson<undefined>('/api/v1/auth/logout', {
      method: 'POST',
      accessToken: session.accessToken,
      credentials: 'include',
    });
  } finally {
    // Even if the server is unreachable, the token leaves memory.
    session.clear();
  }
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: logout, onSettled: () => queryClient.clear() });
}
