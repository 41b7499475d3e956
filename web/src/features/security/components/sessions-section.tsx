import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dangerButton, secondaryButton } from '../../../components/button-styles.ts';
import { FormError } from '../../../components/form-error.tsx';
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx';
import { useEndSession } from '../../../lib/session/use-end-session.ts';
import {
  useLogoutAll,
  useRevokeSession,
  useSessions,
  type ActiveSession,
} from '../api/sessions.ts';

function SessionItem({ item }: { item: ActiveSession }) {
  const { t, i18n } = useTranslation();
  const revoke = useRevokeSession();
  const format = new Intl.DateTimeFormat(i18n.language, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  const device = item.device ?? item.userAgent ?? t('security.sessions.unknownDevice');
  return (
    <li className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-200 py-3 last:border-b-0 dark:border-slate-700">
      <div className="flex min-w-0 flex-col gap-1 text-sm">
        <p className="font-medium break-words">
          {device}
          {item.current ? (
            <span className="ms-2 rounded bg-green-100 px-2 py-0.5 text-xs text-green-900 dark:bg-green-900 dark:text-green-100">
              {t('security.sessions.current')}
            </span>
          ) : null}
        </p>
        <p>
          {t('security.sessions.details', {
            ip: item.ipAddress ?? t('security.sessions.unknownAddress'),
            started: format.format(new Date(item.createdAt)),
            lastUsed: format.format(new Date(item.lastUsedAt)),
          })}
        </p>
        <FormError error={revoke.error} />
      </div>
      {item.current ? null : (
        <button
          type="button"
          className={secondaryButton}
          disabled={revoke.isPending}
          onClick={() => revoke.mutate(item.id)}
          aria-label={t('security.sessions.revokeNamed', { device })}
        >
          {t('security.sessions.revoke')}
        </button>
      )}
    </li>
  );
}

/** The caller's live sessions (this one marked), one-by-one sign-out, and sign out everywhere. */
export function SessionsSection() {
  const { t } = useTranslation();
  const sessions = useSessions();
  const logoutAll = useLogoutAll();
  const endSession = useEndSession();
  const [confirming, setConfirming] = useState(false);

  return (
    <div className="flex flex-col gap-4">
      {sessions.isPending ? <p role="status">{t('app.loading')}</p> : null}
      <FormError error={sessions.error} />
      {sessions.data ? (
        <ul aria-label={t('security.sessions.listLabel')}>
          {sessions.data.map((item) => (
            <SessionItem key={item.id} item={item} />
          ))}
        </ul>
      ) : null}
      <div>
        <button type="button" className={dangerButton} onClick={() => setConfirming(true)}>
          {t('security.sessions.logoutAll')}
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        destructive
        busy={logoutAll.isPending}
        title={t('security.sessions.logoutAllTitle')}
        confirmLabel={t('security.sessions.confirmLogoutAll')}
        cancelLabel={t('security.cancel')}
        onCancel={() => setConfirming(false)}
        onConfirm={() =>
          logoutAll.mutate(undefined, {
            onSuccess: () => void endSession('/login?reason=signed-out-everywhere'),
          })
        }
      >
        <p>{t('security.sessions.logoutAllHelp')}</p>
        <FormError error={logoutAll.error} />
      </ConfirmDialog>
    </div>
  );
}
