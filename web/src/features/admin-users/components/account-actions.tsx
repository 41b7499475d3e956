import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx';
import { useMe } from '../../../lib/session/me.ts';
import { RoleSelect } from '../../admin-roles/public-api.ts';
import {
  AdminError,
  can,
  dangerButton,
  primaryButton,
  secondaryButton,
  useFormat,
} from '../../admin-shell/public-api.ts';
import {
  useDeleteAccount,
  useRevokeSessions,
  useUnlockAccount,
  useUpdateAccount,
  type Account,
} from '../api/accounts.ts';

type Confirmable = 'suspend' | 'deactivate' | 'revoke' | 'delete';

const dialogs = {
  suspend: [
    'admin.detail.confirmSuspendTitle',
    'admin.detail.confirmSuspendBody',
    'admin.detail.suspend',
  ],
  deactivate: [
    'admin.detail.confirmDeactivateTitle',
    'admin.detail.confirmDeactivateBody',
    'admin.detail.deactivate',
  ],
  revoke: [
    'admin.detail.confirmRevokeTitle',
    'admin.detail.confirmRevokeBody',
    'admin.detail.revokeSessions',
  ],
  delete: [
    'admin.detail.confirmDeleteTitle',
    'admin.detail.confirmDeleteBody',
    'admin.detail.delete',
  ],
} as const;

/** Status, role, unlock, sign-out-everywhere and delete for one account, as the user may. */
export function AccountActions({ account, name }: { account: Account; name: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const navigate = useNavigate();
  const permissions = useMe().data?.permissions;
  const update = useUpdateAccount(account.id);
  const unlock = useUnlockAccount(account.id);
  const revoke = useRevokeSessions(account.id);
  const remove = useDeleteAccount(account.id);
  const [role, setRole] = useState(account.role);
  const [confirming, setConfirming] = useState<Confirmable | null>(null);
  const [notice, setNotice] = useState('');
  const noticeRef = useRef<HTMLParagraphElement>(null);
  // The button that was pressed may be gone after the change (Suspend once suspended): focus
  // then goes to the announcement instead of getting lost on the page's body.
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => {
      const active = document.activeElement;
      if (!active || active === document.body) noticeRef.current?.focus();
    }, 0);
    return () => clearTimeout(timer);
  }, [notice]);
  const canWrite = can(permissions, 'users:write');
  const error = [update, unlock, revoke, remove].find((m) => m.isError)?.error;
  const busy = [update, unlock, revoke, remove].some((m) => m.isPending);

  const reset = () => {
    for (const mutation of [update, unlock, revoke, remove]) mutation.reset();
    setNotice('');
  };
  const setStatus = (status: Account['status']) => {
    reset();
    update.mutate(
      { status },
      {
        onSuccess: (changed) =>
          setNotice(
            t('admin.detail.statusChanged', { status: t(`admin.status.${changed.status}`) }),
          ),
        onSettled: () => setConfirming(null),
      },
    );
  };
  const confirmed = () => {
    if (confirming === 'suspend') setStatus('suspended');
    else if (confirming === 'deactivate') setStatus('inactive');
    else if (confirming === 'revoke') {
      reset();
      revoke.mutate(undefined, {
        onSuccess: ({ revokedSessions }) =>
          setNotice(t('admin.detail.sessionsRevoked', { count: format.number(revokedSessions) })),
        onSettled: () => setConfirming(null),
      });
    } else if (confirming === 'delete') {
      reset();
      remove.mutate(undefined, {
        onSuccess: () =>
          void navigate('/admin/users', {
            state: { notice: t('admin.detail.deleted', { name }) },
          }),
        onSettled: () => setConfirming(null),
      });
    }
  };

  return (
    <div className="flex flex-col gap-4">
      <p ref={noticeRef} tabIndex={-1} role="status" className="text-sm font-medium">
        {notice}
      </p>
      <AdminError error={error} />
      {canWrite ? (
        <div className="flex flex-wrap gap-2">
          {account.status !== 'suspended' ? (
            <button
              type="button"
              className={secondaryButton}
              disabled={busy}
              onClick={() => setConfirming('suspend')}
            >
              {t('admin.detail.suspend')}
            </button>
          ) : null}
          {account.status === 'active' ? (
            <button
              type="button"
              className={secondaryButton}
              disabled={busy}
              onClick={() => setConfirming('deactivate')}
            >
              {t('admin.detail.deactivate')}
            </button>
          ) : (
            <button
              type="button"
              className={primaryButton}
              disabled={busy}
              onClick={() => setStatus('active')}
            >
              {t('admin.detail.activate')}
            </button>
          )}
          <button
            type="button"
            className={secondaryButton}
            disabled={busy}
            onClick={() => {
              reset();
              unlock.mutate(undefined, { onSuccess: () => setNotice(t('admin.detail.unlocked')) });
            }}
          >
            {t('admin.detail.unlock')}
          </button>
        </div>
      ) : null}
      {canWrite ? (
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            reset();
            update.mutate(
              { role },
              {
                onSuccess: (changed) =>
                  setNotice(t('admin.detail.roleChanged', { role: changed.role })),
              },
            );
          }}
        >
          <RoleSelect label={t('admin.detail.newRole')} value={role} onChange={setRole} />
          <button
            type="submit"
            className={secondaryButton}
            disabled={busy || role === account.role || !role}
          >
            {t('admin.detail.changeRole')}
          </button>
        </form>
      ) : null}
      <div className="flex flex-wrap gap-2">
        {can(permissions, 'sessions:manage') ? (
          <button
            type="button"
            className={secondaryButton}
            disabled={busy}
            onClick={() => setConfirming('revoke')}
          >
            {t('admin.detail.revokeSessions')}
          </button>
        ) : null}
        {can(permissions, 'users:delete') ? (
          <button
            type="button"
            className={dangerButton}
            disabled={busy}
            onClick={() => setConfirming('delete')}
          >
            {t('admin.detail.delete')}
          </button>
        ) : null}
      </div>
      {confirming ? (
        <ConfirmDialog
          open
          destructive
          busy={busy}
          title={t(dialogs[confirming][0], { name })}
          confirmLabel={t(dialogs[confirming][2])}
          cancelLabel={t('admin.common.cancel')}
          onConfirm={confirmed}
          onCancel={() => setConfirming(null)}
        >
          {t(dialogs[confirming][1])}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
