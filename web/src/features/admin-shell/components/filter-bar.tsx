import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { primaryButton, secondaryButton } from './fields.tsx';

interface FilterBarProps<K extends string> {
  /** The form fields' names: applying reads exactly these, trimmed. */
  keys: readonly K[];
  onApply: (filters: Partial<Record<K, string>>) => void;
  children: ReactNode;
}

/**
 * A list page's filter form (a labelled search landmark) with Apply and Clear; the page writes
 * what it gets into the URL, so filtered views can be shared and Back works.
 */
export function FilterBar<K extends string>({ keys, onApply, children }: FilterBarProps<K>) {
  const { t } = useTranslation();
  return (
    <form
      role="search"
      aria-label={t('admin.common.filters')}
      className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3"
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        onApply(
          Object.fromEntries(
            keys.map((key) => [key, String(data.get(key) ?? '').trim()]),
          ) as Partial<Record<K, string>>,
        );
      }}
    >
      {children}
      <div className="flex flex-wrap items-end gap-2">
        <button type="submit" className={primaryButton}>
          {t('admin.common.applyFilters')}
        </button>
        <button type="button" className={secondaryButton} onClick={() => onApply({})}>
          {t('admin.common.clearFilters')}
        </button>
      </div>
    </form>
  );
}
