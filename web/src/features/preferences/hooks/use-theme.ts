import type { Theme } from '@ums/contracts/profile';
import { useEffect, useSyncExternalStore } from 'react';
import {
  applyTheme,
  currentThemeSnapshot,
  saveTheme,
  subscribeTheme,
} from '../preferences-storage.ts';

export function useTheme(): [Theme, (theme: Theme) => void] {
  const theme = useSyncExternalStore(subscribeTheme, currentThemeSnapshot);

  useEffect(() => {
    if (theme !== 'system' || typeof matchMedia !== 'function') return;
    // Follow the operating system live while "system" is chosen.
    const query = matchMedia('(prefers-color-scheme: dark)');
    const onChange = () => applyTheme('system');
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, [theme]);

  return [theme, saveTheme];
}
