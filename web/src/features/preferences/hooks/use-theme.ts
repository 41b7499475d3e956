import { useEffect, useState } from 'react';
import { applyTheme, saveTheme, savedTheme, type Theme } from '../preferences-storage.ts';

export function useTheme(): [Theme, (theme: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(savedTheme);

  useEffect(() => {
    if (theme !== 'system' || typeof matchMedia !== 'function') return;
    // Follow the operating system live while "system" is chosen.
    const query = matchMedia('(prefers-color-scheme: dark)');
    const onChange = () => applyTheme('system');
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, [theme]);

  const choose = (next: Theme) => {
    saveTheme(next);
    setTheme(next);
  };
  return [theme, choose];
}
