import type { ProfileView } from '@ums/contracts/profile-schemas';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../../lib/http.ts';
import { UserAuditTrail } from '../../admin-audit/public-api.ts';
import {
  AdminError,
  AdminPage,
  cardClass,
  RequirePermission,
  useFormat,
} from '../../admin-shell/public-api.ts';
import { useAccount, type Account } from '../api/accounts.ts';
import { useUserProfile } from '../api/user-profile.ts';
import { nameOf } from '../api/users.ts';
import { AccountActions } from './account-actions.tsx';
import { StatusLabel } from './status-label.tsx';

export function UserDetailPage() {
  const { id = '' } = useParams();
  return (
    <RequirePermission permission="users:read">
      <UserDetail key={id} id={id} />
    </RequirePermission>
  );
}

function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">
      {rows.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="text-sm text-slate-700 dark:text-slate-300">{term}</dt>
          <dd className="break-words">{value ?? '—'}</dd>
        </div>
      ))}
    </dl>
  );
}

function UserDetail({ id }: { id: string }) {
  const { t } = useTranslation();
  const account = useAccount(id);
  const profile = useUserProfile(id);
  const name =
    (profile.data ? nameOf(profile.data) : '') ||
    (account.data ? nameOf({ ...account.data, displayName: null }) : '');

  return (
    <AdminPage title={name || t('admin.detail.titleFallback')}>
      <p>
        <Link to="/admin/users" className="underline">
          {t('admin.detail.back')}
        </Link>
      </p>
      <section aria-labelledby="detail-account" className={cardClass}>
        <h2 id="detail-account" className="text-lg font-semibold">
          {t('admin.detail.account')}
        </h2>
        {account.isPending ? <p role="status">{t('app.loading')}</p> : null}
        <AdminError error={account.error} />
        {account.data ? (
          <>
            <AccountFacts account={account.data} />
            <h3 className="text-base font-semibold">{t('admin.detail.actions')}</h3>
            <AccountActions account={account.data} name={name || account.data.email} />
          </>
        ) : null}
      </section>
      <section aria-labelledby="detail-profile" className={cardClass}>
        <h2 id="detail-profile" className="text-lg font-semibold">
          {t('admin.detail.profile')}
        </h2>
        {profile.isPending ? <p role="status">{t('app.loading')}</p> : null}
        {profile.error instanceof ApiError && profile.error.status === 404 ? (
          <p>{t('admin.detail.profileMissing')}</p>
        ) : (
          <AdminError error={profile.error} />
        )}
        {profile.data ? <ProfileFacts profile={profile.data} /> : null}
      </section>
      <UserAuditTrail userId={id} />
    </AdminPage>
  );
}

function AccountFacts({ account }: { account: Account }) {
  const { t } = useTranslation();
  const format = useFormat();
  const yesNo = (value: boolean) => (value ? t('admin.common.yes') : t('admin.common.no'));
  return (
    <Facts
      rows={[
        [t('admin.detail.email'), account.email],
        [t('admin.detail.status'), <StatusLabel key="status" status={account.status} />],
        [t('admin.detail.role'), account.role],
        [t('admin.detail.emailVerified'), yesNo(account.emailVerified)],
        [t('admin.detail.mfa'), yesNo(account.mfaEnabled)],
        [t('admin.detail.locked'), yesNo(account.locked)],
        ...(account.lockedUntil
          ? [
              [t('admin.detail.lockedUntil'), format.dateTime(account.lockedUntil)] as [
                string,
                string,
              ],
            ]
          : []),
        [t('admin.detail.failedLogins'), format.number(account.failedLoginCount)],
        [t('admin.detail.createdAt'), format.dateTime(account.createdAt)],
        [t('admin.detail.lastLoginAt'), format.dateTime(account.lastLoginAt)],
      ]}
    />
  );
}

function ProfileFacts({ profile }: { profile: ProfileView }) {
  const { t } = useTranslation();
  const website = profile.website && /^https?:\/\//i.test(profile.website) ? profile.website : null;
  return (
    <Facts
      rows={[
        [t('admin.detail.displayName'), profile.displayName],
        [t('admin.detail.jobTitle'), profile.jobTitle],
        [t('admin.detail.company'), profile.company],
        [t('admin.detail.location'), profile.location],
        [t('admin.detail.phone'), profile.phone],
        [
          t('admin.detail.website'),
          website ? (
            <a
              key="website"
              href={website}
              rel="noopener noreferrer nofollow"
              className="underline"
            >
              {website}
            </a>
          ) : null,
        ],
        [
          t('admin.detail.bio'),
          profile.bio ? <span className="whitespace-pre-line">{profile.bio}</span> : null,
        ],
      ]}
    />
  );
}
