import { accountStatuses } from '@ums/contracts/profile';
import { useTranslation } from 'react-i18next';
import { RoleSelect } from '../../admin-roles/public-api.ts';
import { FilterBar, InputField, SelectField } from '../../admin-shell/public-api.ts';
import { filterKeys, sortOptions, type DirectoryFilters } from '../api/users.ts';

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
    <FilterBar keys={filterKeys} onApply={onApply}>
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
    </FilterBar>
  );
}
