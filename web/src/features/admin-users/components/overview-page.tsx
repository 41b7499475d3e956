import { useTranslation } from 'react-i18next';
import {
  AdminError,
  AdminPage,
  RequirePermission,
  useFormat,
} from '../../admin-shell/public-api.ts';
import { useAccountStats } from '../api/account-stats.ts';
import { RegistrationsChart } from './registrations-chart.tsx';
import { StatusLabel } from './status-label.tsx';

const DAYS = 30;
const statuses = ['active', 'inactive', 'suspended'] as const;

export function OverviewPage() {
  const { t } = useTranslation();
  return (
    <RequirePermission permission="users:read">
      <AdminPage title={t('admin.overview.title')}>
        <Overview />
      </AdminPage>
    </RequirePermission>
  );
}

function Overview() {
  const { t } = useTranslation();
  const format = useFormat();
  const stats = useAccountStats(DAYS);
  if (stats.isPending) return <p role="status">{t('app.loading')}</p>;
  if (stats.isError) return <AdminError error={stats.error} />;
  const { total, byStatus, byRole, registrations, generatedAt } = stats.data;
  const roles = Object.entries(byRole).sort(([, a], [, b]) => b - a);
  const card = 'rounded-lg border border-slate-200 p-4 dark:border-slate-700';

  return (
    <>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        {t('admin.overview.generatedAt', { time: format.dateTime(generatedAt) })}
      </p>
      <section aria-labelledby="overview-status" className={card}>
        <h2 id="overview-status" className="mb-3 text-lg font-semibold">
          {t('admin.overview.byStatus')}
        </h2>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
          <div>
            <dt className="text-sm text-slate-700 dark:text-slate-300">
              {t('admin.overview.total')}
            </dt>
            <dd className="text-2xl font-semibold tabular-nums">{format.number(total)}</dd>
          </div>
          {statuses.map((status) => (
            <div key={status}>
              <dt className="text-sm text-slate-700 dark:text-slate-300">
                <StatusLabel status={status} />
              </dt>
              <dd className="text-2xl font-semibold tabular-nums">
                {format.number(byStatus[status])}
              </dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-labelledby="overview-roles" className={card}>
        <h2 id="overview-roles" className="mb-3 text-lg font-semibold">
          {t('admin.overview.byRole')}
        </h2>
        {roles.length === 0 ? (
          <p>{t('admin.overview.noRoles')}</p>
        ) : (
          <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
            {roles.map(([role, count]) => (
              <div key={role}>
                <dt className="text-sm break-all text-slate-700 dark:text-slate-300">{role}</dt>
                <dd className="text-2xl font-semibold tabular-nums">{format.number(count)}</dd>
              </div>
            ))}
          </dl>
        )}
      </section>
      <section aria-labelledby="overview-registrations" className={card}>
        <h2 id="overview-registrations" className="mb-3 text-lg font-semibold">
          {t('admin.overview.chartHeading', { days: format.number(DAYS) })}
        </h2>
        <RegistrationsChart data={registrations} />
      </section>
    </>
  );
}
