import { useMutation } from '@tanstack/react-query';
import { requestJson } from '../../../lib/http.ts';

export function verifyEmail(input: { token: string }): Promise<{ emailVerified: true }> {
  return requestJson('/api/v1/auth/email/verify', { body: input });
}

export function useVerifyEmail() {
  return useMutation({ mutationFn: verifyEmail });
}
