import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../../../lib/session/me.ts';
import {
  AdminError,
  can,
  cardClass,
  CursorPager,
  useCursorPages,
} from '../../admin-shell/public-api.ts';
import { noAuditFilters, useAuditLogs } from '../api/audit-logs.ts';
import { AuditTable } from './audit-table.tsx';

/** One user's audit entries, for their detail page; nothing without `audit:read`. */
export function UserAuditTrail({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const permissions = useMe().data?.permissions;
  if (!can(permissions, 'audit:read')) return null;
  return (
    <section aria-labelledby="detail-audit" className={cardClass}>
      <h2 id="detail-audit" className="text-lg font-semibold">
        {t('admin.detail.auditTrail')}
      </h2>
      <AuditTrailEntries userId={userId} />
      <p>
        <Link to={`/admin/audit?userId=${encodeURIComponent(userId)}`} className="underline">
          {t('admin.detail.openInAudit')}
        </Link>
      </p>
    </section>
  );
}

function AuditTrailEntries({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const pages = useCursorPages(userId);
  const logs = useAuditLogs({ ...noAuditFilters, userId }, pages.cursor);
  if (logs.isPending) return <p role="status">{t('app.loading')}</p>;
  if (logs.isError) return <AdminError error={logs.error} />;
  return (
    <>
      <AuditTable entries={logs.data.items} caption={t('admin.detail.auditTrail')} linkUsers />
      <CursorPager
        page={pages.page}
        hasPrevious={pages.hasPrevious}
        nextCursor={logs.data.nextCursor}
        onPrevious={pages.previous}
        onNext={pages.next}
      />
    </>
  );
}
