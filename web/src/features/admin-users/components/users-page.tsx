import type { SummaryView } from '@ums/contracts/profile-schemas';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useSearchParams } from 'react-router';
import { useMe } from '../../../lib/session/me.ts';
import {
  AdminError,
  AdminPage,
  can,
  CursorPager,
  ExportButtons,
  RequirePermission,
  useCursorPages,
} from '../../admin-shell/public-api.ts';
import {
  directoryQuery,
  filterKeys,
  filtersFromParams,
  nameOf,
  useUsers,
  type DirectoryFilters,
} from '../api/users.ts';
import { BulkPanel } from './bulk-panel.tsx';
import { UserFilters } from './user-filters.tsx';
import { UsersTable } from './users-table.tsx';

export function UsersPage() {
  const { t } = useTranslation();
  return (
    <RequirePermission permission="users:read">
      <AdminPage title={t('admin.users.title')}>
        <Directory />
      </AdminPage>
    </RequirePermission>
  );
}

const labelOf = (user: SummaryView) => user.email ?? (nameOf(user) || user.id);

function Directory() {
  const { t } = useTranslation();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  // Set by the user page after a deletion, which lands here.
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  const filters = filtersFromParams(params);
  const filtersKey = JSON.stringify(filters);
  const pages = useCursorPages(filtersKey);
  const users = useUsers(filters, pages.cursor);
  // Selected ids (in selection order) with the label the results tables show for them.
  const [selected, setSelected] = useState<ReadonlyMap<string, string>>(new Map());
  const [selectionKey, setSelectionKey] = useState(filtersKey);
  if (selectionKey !== filtersKey) {
    // Other filters, other rows: a selection the user can no longer see would be a trap.
    setSelectionKey(filtersKey);
    setSelected(new Map());
  }
  const permissions = me.data?.permissions;
  const canWrite = can(permissions, 'users:write');
  const rows = users.data?.items ?? [];

  const apply = (next: Partial<DirectoryFilters>) => {
    const search = new URLSearchParams();
    for (const key of filterKeys) {
      const value = next[key]?.trim();
      if (value) search.set(key, value);
    }
    setParams(search);
  };
  const toggle = (user: SummaryView, checked: boolean) =>
    setSelected((current) => {
      const copy = new Map(current);
      if (checked) copy.set(user.id, labelOf(user));
      else copy.delete(user.id);
      return copy;
    });
  const toggleAll = (checked: boolean) =>
    setSelected((current) => {
      const copy = new Map(current);
      for (const user of rows) {
        if (checked) copy.set(user.id, labelOf(user));
        else copy.delete(user.id);
      }
      return copy;
    });

  return (
    <>
      {notice ? (
        <p
          role="status"
          className="rounded bg-green-50 p-3 text-sm text-green-900 dark:bg-green-950 dark:text-green-100"
        >
          {notice}
        </p>
      ) : null}
      <UserFilters key={filtersKey} filters={filters} onApply={apply} />
      {can(permissions, 'users:export') ? (
        <ExportButtons path="/api/v1/users/export" query={directoryQuery(filters)} stem="users" />
      ) : null}
      {canWrite ? <BulkPanel selected={selected} onApplied={() => setSelected(new Map())} /> : null}
      <AdminError error={users.error} />
      {users.isPending ? (
        <p role="status">{t('app.loading')}</p>
      ) : (
        <div aria-busy={users.isFetching} className="flex flex-col gap-3">
          <UsersTable
            users={rows}
            {...(canWrite
              ? { selected: new Set(selected.keys()), onToggle: toggle, onToggleAll: toggleAll }
              : {})}
          />
          <CursorPager
            page={pages.page}
            hasPrevious={pages.hasPrevious}
            nextCursor={users.data?.nextCursor}
            onPrevious={pages.previous}
            onNext={pages.next}
          />
        </div>
      )}
    </>
  );
}
