import { useMutation } from '@tanstack/react-query';
import { requestJson } from '../../../lib/http.ts';

export function resetPassword(input: { token: string; newPassword: string }): Promise<void> {
  return requestJson('/api/v1/auth/password/reset', { body: input });
}

export function useResetPassword() {
  return useMutation({ mutationFn: resetPassword });
}
