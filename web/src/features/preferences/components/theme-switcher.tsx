import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useSaveServerPreferences } from '../hooks/use-preferences-sync.ts';
import { useTheme } from '../hooks/use-theme.ts';
import { isTheme } from '../preferences-storage.ts';

export function ThemeSwitcher() {
  const { t } = useTranslation();
  const [theme, setTheme] = useTheme();
  const id = useId();
  const saveToServer = useSaveServerPreferences();
  const labels = {
    light: t('preferences.themeLight'),
    dark: t('preferences.themeDark'),
    system: t('preferences.themeSystem'),
  };
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="text-sm">
        {t('preferences.theme')}
      </label>
      <select
        id={id}
        value={theme}
        onChange={(event) => {
          const next = event.target.value;
          if (!isTheme(next)) return;
          setTheme(next);
          saveToServer({ theme: next });
        }}
        className="rounded border border-slate-400 bg-white px-2 py-1 text-sm dark:border-slate-500 dark:bg-slate-900"
      >
        {(['light', 'dark', 'system'] as const).map((value) => (
          <option key={value} value={value}>
            {labels[value]}
          </option>
        ))}
      </select>
    </div>
  );
}
