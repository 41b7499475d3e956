import { useQueryClient } from '@tanstack/react-query';
import type { PreferencesView } from '@ums/contracts/profile-schemas';
import { useCallback, useEffect } from 'react';
import { changeLanguage, i18n, isLanguage } from '../../../i18n/i18n.ts';
import {
  ownProfileQueryOptions,
  patchOwnProfile,
  useOwnProfile,
} from '../../../lib/profile/own-profile.ts';
import { session } from '../../../lib/session/session-manager.ts';
import { useSession } from '../../../lib/session/use-session.ts';
import { currentThemeSnapshot, isTheme, saveTheme } from '../preferences-storage.ts';

// The user whose saved language and theme were applied in this page (once per sign-in). A choice
// made before the profile arrives counts too, so a late answer never overrides it.
let appliedFor: string | null = null;

/** Applies the signed-in user's saved language and theme once after sign-in. */
export function usePreferencesSync(): void {
  const { status, user } = useSession();
  const profile = useOwnProfile({ enabled: status === 'authenticated' });
  const saved = profile.data;

  useEffect(() => {
    if (status !== 'authenticated' || !user) {
      appliedFor = null;
      return;
    }
    if (!saved || saved.id !== user.id || appliedFor === user.id) return;
    appliedFor = user.id;
    applyPreferences(saved.preferences);
  }, [status, user, saved]);
}

/** Switches language and theme live (no reload); unknown values are ignored. */
export function applyPreferences(preferences: Partial<PreferencesView>): void {
  const { language, theme } = preferences;
  if (isLanguage(language) && language !== i18n.language) void changeLanguage(language);
  if (isTheme(theme) && theme !== currentThemeSnapshot()) saveTheme(theme);
}

/**
 * For the header switchers: when signed in, a choice is also saved to the server's preferences.
 * Saving is best effort: the switch has already happened, and a failure must not undo it.
 */
export function useSaveServerPreferences(): (
  preferences: Partial<Pick<PreferencesView, 'language' | 'theme'>>,
) => void {
  const queryClient = useQueryClient();
  return useCallback(
    (preferences) => {
      const { status, user } = session.getSnapshot();
      if (status !== 'authenticated' || !user) return;
      appliedFor = user.id;
      patchOwnProfile({ preferences }).then(
        (profile) => queryClient.setQueryData(ownProfileQueryOptions.queryKey, profile),
        () => undefined,
      );
    },
    [queryClient],
  );
}
