import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { meQueryOptions } from '../../../lib/session/me.ts';
import { session } from '../../../lib/session/session-manager.ts';
import { sessionsQueryOptions } from './sessions.ts';

export interface MfaStatus {
  enabled: boolean;
  required: boolean;
  recoveryCodesRemaining: number;
}

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
}

export interface RecoveryCodes {
  recoveryCodes: string[];
}

export const getMfaStatus = () => session.request<MfaStatus>('/api/v1/auth/mfa');

export const mfaStatusQueryOptions = queryOptions({
  queryKey: ['security', 'mfa'],
  queryFn: getMfaStatus,
});

export function useMfaStatus() {
  return useQuery(mfaStatusQueryOptions);
}

export const setupTotp = () =>
  session.request<TotpSetup>('/api/v1/auth/mfa/totp/setup', { method: 'POST' });

export const enableTotp = (code: string) =>
  session.request<RecoveryCodes & { enabled: true }>('/api/v1/auth/mfa/totp/enable', {
    body: { code },
  });

export const disableTotp = (input: { password: string; code: string }) =>
  session.request<{ enabled: false }>('/api/v1/auth/mfa/totp/disable', { body: input });

export const regenerateRecoveryCodes = (password: string) =>
  session.request<RecoveryCodes>('/api/v1/auth/mfa/recovery-codes', { body: { password } });

/** Turning MFA on or off ends the other sessions and changes what /me says. */
function useRefreshAfterMfaChange() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all(
      [mfaStatusQueryOptions, meQueryOptions, sessionsQueryOptions].map(({ queryKey }) =>
        queryClient.invalidateQueries({ queryKey }),
      ),
    );
}

export function useSetupTotp() {
  return useMutation({ mutationFn: setupTotp });
}

export function useEnableTotp() {
  const refresh = useRefreshAfterMfaChange();
  return useMutation({ mutationFn: enableTotp, onSuccess: refresh });
}

export function useDisableTotp() {
  const refresh = useRefreshAfterMfaChange();
  return useMutation({ mutationFn: disableTotp, onSuccess: refresh });
}

export function useRegenerateRecoveryCodes() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: regenerateRecoveryCodes,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: mfaStatusQueryOptions.queryKey }),
  });
}
