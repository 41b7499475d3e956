import { useTranslation } from 'react-i18next';
import { filterKeys, sortOptions, type DirectoryFilters } from '../api/users.ts';
import { InputField, primaryButton, secondaryButton, SelectField } from './fields.tsx';
import { RoleSelect } from './role-select.tsx';
import { accountStatuses } from './status-label.tsx';

const sortLabels = {
  '-createdAt': 'admin.users.sortNewest',
  createdAt: 'admin.users.sortOldest',
  email: 'admin.users.sortEmailAsc',
  '-email': 'admin.users.sortEmailDesc',
  name: 'admin.users.sortNameAsc',
  '-name': 'admin.users.sortNameDesc',
} as const;

interface UserFiltersProps {
  filters: DirectoryFilters;
  onApply: (filters: Partial<DirectoryFilters>) => void;
}

/** The directory's filter bar; applying writes the filters into the URL (shareable, Back works). */
export function UserFilters({ filters, onApply }: UserFiltersProps) {
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
          Object.fromEntries(filterKeys.map((key) => [key, String(data.get(key) ?? '').trim()])),
        );
      }}
    >
      <InputField
        label={t('admin.users.search')}
        name="q"
        type="search"
        maxLength={100}
        defaultValue={filters.q}
        className="sm:col-span-2 lg:col-span-3"
      />
      <RoleSelect
        label={t('admin.users.role')}
        name="role"
        defaultValue={filters.role}
        emptyLabel={t('admin.common.any')}
      />
      <SelectField label={t('admin.users.status')} name="status" defaultValue={filters.status}>
        <option value="">{t('admin.common.any')}</option>
        {accountStatuses.map((status) => (
          <option key={status} value={status}>
            {t(`admin.status.${status}`)}
          </option>
        ))}
      </SelectField>
      <SelectField label={t('admin.users.sort')} name="sort" defaultValue={filters.sort}>
        {sortOptions.map((sort) => (
          <option key={sort} value={sort === '-createdAt' ? '' : sort}>
            {t(sortLabels[sort])}
          </option>
        ))}
      </SelectField>
      <InputField
        label={t('admin.users.createdFrom')}
        name="createdFrom"
        type="date"
        defaultValue={filters.createdFrom}
      />
      <InputField
        label={t('admin.users.createdTo')}
        name="createdTo"
        type="date"
        defaultValue={filters.createdTo}
      />
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
