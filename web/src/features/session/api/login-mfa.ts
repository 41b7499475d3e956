import { useMutation } from '@tanstack/react-query';
import { requestJson } from '../../../lib/http.ts';
import type { TokenResponse } from '../../../lib/session/session-types.ts';

export interface LoginMfaInput {
  mfaToken: string;
  code: string;
}

export function loginMfa(input: LoginMfaInput): Promise<TokenResponse> {
  return requestJson<TokenResponse>('/api/v1/auth/login/mfa', {
    body: input,
    credentials: 'include',
  });
}

export function useLoginMfa() {
  return useMutation({ mutationFn: loginMfa });
}
