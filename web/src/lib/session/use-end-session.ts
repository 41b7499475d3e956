import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { session } from './session-manager.ts';

interface EndSessionState {
  endSession?: boolean;
}

/**
 * After the server ended the session (sign out everywhere, account deleted): go to `to` (the
 * sign-in page with its notice), which then forgets the session (useFinishEndedSession). Clearing
 * it here instead would let the private page's guard, still on screen until the router's
 * transition renders, redirect to sign-in on its own, without the notice.
 */
export function useEndSession(): (to: string) => Promise<void> {
  const navigate = useNavigate();
  return useCallback(
    async (to: string) => {
      const state: EndSessionState = { endSession: true };
      await navigate(to, { replace: true, state });
    },
    [navigate],
  );
}

/** On the page reached through useEndSession: forgets the session and every cached answer. */
export function useFinishEndedSession(): void {
  const { state } = useLocation() as { state: EndSessionState | null };
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!state?.endSession) return;
    session.clear();
    queryClient.clear();
  }, [state, queryClient]);
}
