import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/** Numbers and dates in the current language (Intl), memoised per language. */
export function useFormat() {
  const { i18n } = useTranslation();
  const language = i18n.language;
  return useMemo(() => {
    const numbers = new Intl.NumberFormat(language);
    const dateTimes = new Intl.DateTimeFormat(language, {
      dateStyle: 'medium',
      timeStyle: 'short',
    });
    const dates = new Intl.DateTimeFormat(language, { dateStyle: 'medium' });
    // Calendar days (YYYY-MM-DD) are read and shown in UTC so no time zone shifts them a day.
    const days = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' });
    const shortDays = new Intl.DateTimeFormat(language, {
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    });
    const valid = (value: string | null | undefined) =>
      value && !Number.isNaN(Date.parse(value)) ? new Date(value) : null;
    return {
      number: (value: number) => numbers.format(value),
      dateTime: (value: string | null | undefined) => {
        const date = valid(value);
        return date ? dateTimes.format(date) : '—';
      },
      date: (value: string | null | undefined) => {
        const date = valid(value);
        return date ? dates.format(date) : '—';
      },
      day: (value: string) => days.format(new Date(`${value}T00:00:00Z`)),
      shortDay: (value: string) => shortDays.format(new Date(`${value}T00:00:00Z`)),
    };
  }, [language]);
}
