import { useMutation } from '@tanstack/react-query';
import { requestJson } from '../../../lib/http.ts';
import type { MfaChallenge, TokenResponse } from '../../../lib/session/session-types.ts';

export interface LoginInput {
  email: string;
  password: string;
}

export type LoginAnswer = TokenResponse | MfaChallenge;

export function isMfaChallenge(answer: LoginAnswer): answer is MfaChallenge {
  return 'mfaRequired' in answer && answer.mfaRequired;
}

export function login(input: LoginInput): Promise<LoginAnswer> {
  return requestJson<LoginAnswer>('/api/v1/auth/login', { body: input, credentials: 'include' });
}

export function useLogin() {
  return useMutation({ mutationFn: login });
}
