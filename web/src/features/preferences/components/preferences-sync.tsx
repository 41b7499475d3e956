import { usePreferencesSync } from '../hooks/use-preferences-sync.ts';

/** Renders nothing: applies the signed-in user's saved language and theme after sign-in. */
export function PreferencesSync() {
  usePreferencesSync();
  return null;
}
