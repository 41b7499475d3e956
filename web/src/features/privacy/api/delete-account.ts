import { useMutation } from '@tanstack/react-query';
import { session } from '../../../lib/session/session-manager.ts';

/** With a password when the account has one; otherwise the account's email, typed again. */
export type DeleteAccountInput = { password: string } | { confirmEmail: string };

/** 204: the account, its sessions and the refresh cookie are gone (the caller ends the session). */
export const deleteAccount = (input: DeleteAccountInput) =>
  session.request<undefined>('/api/v1/auth/me', { method: 'DELETE', body: input });

export function useDeleteAccount() {
  return useMutation({ mutationFn: deleteAccount });
}
