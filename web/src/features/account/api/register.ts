import { useMutation } from '@tanstack/react-query';
import { requestJson } from '../../../lib/http.ts';

export interface RegisterInput {
  email: string;
  password: string;
  firstName?: string;
  lastName?: string;
}

export function register(input: RegisterInput): Promise<{ user: { id: string; email: string } }> {
  return requestJson('/api/v1/auth/register', { body: input });
}

export function useRegister() {
  return useMutation({ mutationFn: register });
}
