import { useMutation } from '@tanstack/react-query';
import { requestJson } from '../../../lib/http.ts';

export function forgotPassword(input: { email: string }): Promise<{ message: string }> {
  return requestJson('/api/v1/auth/password/forgot', { body: input });
}

export function useForgotPassword() {
  return useMutation({ mutationFn: forgotPassword });
}
