import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { languages } from '@ums/contracts/profile';
import { changeLanguage, isLanguage } from '../../../i18n/i18n.ts';
import { useSaveServerPreferences } from '../hooks/use-preferences-sync.ts';

export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const saveToServer = useSaveServerPreferences();
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="text-sm">
        {t('preferences.language')}
      </label>
      <select
        id={id}
        value={i18n.language}
        onChange={(event) => {
          const language = event.target.value;
          if (!isLanguage(language)) return;
          void changeLanguage(language);
          saveToServer({ language });
        }}
        className="rounded border border-slate-400 bg-white px-2 py-1 text-sm dark:border-slate-500 dark:bg-slate-900"
      >
        {languages.map((language) => (
          <option key={language} value={language} lang={language}>
            {t(`preferences.languageNames.${language}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
