import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useMe } from '../../../lib/session/me.ts';
import {
  AdminError,
  AdminPage,
  can,
  CursorPager,
  ExportButtons,
  FilterBar,
  InputField,
  RequirePermission,
  useCursorPages,
} from '../../admin-shell/public-api.ts';
import {
  auditFilterKeys,
  auditFiltersFromParams,
  auditQuery,
  useAuditLogs,
  type AuditFilters,
} from '../api/audit-logs.ts';
import { knownActions } from './audit-actions.ts';
import { AuditTable } from './audit-table.tsx';

export function AuditPage() {
  const { t } = useTranslation();
  return (
    <RequirePermission permission="audit:read">
      <AdminPage title={t('admin.audit.title')}>
        <AuditLog />
      </AdminPage>
    </RequirePermission>
  );
}

function AuditFilterBar({
  filters,
  onApply,
}: {
  filters: AuditFilters;
  onApply: (filters: Partial<AuditFilters>) => void;
}) {
  const { t } = useTranslation();
  return (
    <FilterBar keys={auditFilterKeys} onApply={onApply}>
      <InputField
        label={t('admin.audit.userId')}
        name="userId"
        defaultValue={filters.userId}
        autoComplete="off"
        spellCheck={false}
        maxLength={64}
      />
      <InputField
        label={t('admin.audit.actorId')}
        name="actorId"
        defaultValue={filters.actorId}
        autoComplete="off"
        spellCheck={false}
        maxLength={128}
      />
      <InputField
        label={t('admin.audit.action')}
        name="action"
        defaultValue={filters.action}
        list="audit-actions"
        autoComplete="off"
        spellCheck={false}
        maxLength={128}
      />
      <datalist id="audit-actions">
        {knownActions.map((action) => (
          <option key={action} value={action} />
        ))}
      </datalist>
      <InputField
        label={t('admin.audit.from')}
        name="from"
        type="date"
        defaultValue={filters.from}
      />
      <InputField label={t('admin.audit.to')} name="to" type="date" defaultValue={filters.to} />
    </FilterBar>
  );
}

function AuditLog() {
  const { t } = useTranslation();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const filters = auditFiltersFromParams(params);
  const filtersKey = JSON.stringify(filters);
  const pages = useCursorPages(filtersKey);
  const logs = useAuditLogs(filters, pages.cursor);

  const apply = (next: Partial<AuditFilters>) => {
    const search = new URLSearchParams();
    for (const key of auditFilterKeys) {
      const value = next[key]?.trim();
      if (value) search.set(key, value);
    }
    setParams(search);
  };

  return (
    <>
      <AuditFilterBar key={filtersKey} filters={filters} onApply={apply} />
      <ExportButtons
        path="/api/v1/audit-logs/export"
        query={auditQuery(filters)}
        stem="audit-logs"
      />
      <AdminError error={logs.error} />
      {logs.isPending ? (
        <p role="status">{t('app.loading')}</p>
      ) : (
        <div aria-busy={logs.isFetching} className="flex flex-col gap-3">
          <AuditTable
            entries={logs.data?.items ?? []}
            caption={t('admin.audit.caption')}
            linkUsers={can(me.data?.permissions, 'users:read')}
          />
          <CursorPager
            page={pages.page}
            hasPrevious={pages.hasPrevious}
            nextCursor={logs.data?.nextCursor}
            onPrevious={pages.previous}
            onNext={pages.next}
          />
        </div>
      )}
    </>
  );
}
