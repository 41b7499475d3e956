import { languages, themes } from '@ums/contracts/profile';
import type { PreferencesView } from '@ums/contracts/profile-schemas';
import { useId, useMemo } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { FormError } from '../../../components/form-error.tsx';
import { SubmitButton } from '../../../components/submit-button.tsx';
import { useUpdateOwnProfile } from '../../../lib/profile/own-profile.ts';
import { applyPreferences } from '../hooks/use-preferences-sync.ts';

const selectClass =
  'rounded border border-slate-400 bg-white px-3 py-2 dark:border-slate-500 dark:bg-slate-900';
type Channel = keyof PreferencesView['notifications'];
const channels = ['email', 'push', 'sms'] as const satisfies Channel[];

/** Every IANA zone ICU knows, plus UTC and the saved value (an alias such as Asia/Calcutta). */
export function timeZoneOptions(saved: string): string[] {
  const zones = new Set(
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [],
  );
  zones.add('UTC');
  if (saved) zones.add(saved);
  return [...zones].sort();
}

export function PreferencesForm({ saved }: { saved: PreferencesView }) {
  const { t } = useTranslation();
  const update = useUpdateOwnProfile();
  const form = useForm<PreferencesView>({ defaultValues: saved });
  const zones = useMemo(() => timeZoneOptions(saved.timezone), [saved.timezone]);
  const ids = { language: useId(), theme: useId(), timezone: useId() };
  const themeLabels = {
    light: t('preferences.themeLight'),
    dark: t('preferences.themeDark'),
    system: t('preferences.themeSystem'),
  };

  const onSubmit = form.handleSubmit((preferences) =>
    update.mutate(
      { preferences },
      {
        onSuccess: (profile) => {
          applyPreferences(profile.preferences);
          form.reset(profile.preferences);
        },
      },
    ),
  );

  return (
    <form noValidate className="flex flex-col gap-4" onSubmit={onSubmit}>
      <FormError error={update.error} />
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.language} className="text-sm font-medium">
          {t('preferences.language')}
        </label>
        <select id={ids.language} className={selectClass} {...form.register('language')}>
          {languages.map((language) => (
            <option key={language} value={language} lang={language}>
              {t(`preferences.languageNames.${language}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.theme} className="text-sm font-medium">
          {t('preferences.theme')}
        </label>
        <select id={ids.theme} className={selectClass} {...form.register('theme')}>
          {themes.map((theme) => (
            <option key={theme} value={theme}>
              {themeLabels[theme]}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.timezone} className="text-sm font-medium">
          {t('preferencesPage.timezone')}
        </label>
        <select id={ids.timezone} className={selectClass} {...form.register('timezone')}>
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone.replaceAll('_', ' ')}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">{t('preferencesPage.notifications')}</legend>
        {channels.map((channel) => (
          <label key={channel} className="flex items-center gap-2">
            <input
              type="checkbox"
              className="size-4"
              {...form.register(`notifications.${channel}`)}
            />
            {t(`preferencesPage.channel.${channel}`)}
          </label>
        ))}
      </fieldset>
      <SubmitButton busy={update.isPending}>{t('preferencesPage.save')}</SubmitButton>
      <p role="status" className="text-sm">
        {update.isSuccess && !form.formState.isDirty ? t('preferencesPage.saved') : ''}
      </p>
    </form>
  );
}
