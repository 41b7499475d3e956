import { bulkActions, type BulkAction } from '@ums/contracts/bulk';
import type { BulkRequest, BulkResponse } from '@ums/contracts/bulk-schemas';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx';
import { useMe } from '../../../lib/session/me.ts';
import { RoleSelect } from '../../admin-roles/public-api.ts';
import {
  AdminError,
  can,
  primaryButton,
  secondaryButton,
  SelectField,
  useFormat,
} from '../../admin-shell/public-api.ts';
import { useBulk } from '../api/bulk.ts';
import { BulkResults } from './bulk-results.tsx';

const actionLabels = {
  suspend: 'admin.bulk.actionSuspend',
  activate: 'admin.bulk.actionActivate',
  deactivate: 'admin.bulk.actionDeactivate',
  change_role: 'admin.bulk.actionChangeRole',
  unlock: 'admin.bulk.actionUnlock',
  revoke_sessions: 'admin.bulk.actionRevokeSessions',
  delete: 'admin.bulk.actionDelete',
} as const;

/** Actions that take something away: applying them asks once more in a dialog. */
const destructive = new Set<BulkAction>(['suspend', 'deactivate', 'revoke_sessions', 'delete']);

interface BulkPanelProps {
  /** Selected ids with the label to show for each, in selection order. */
  selected: ReadonlyMap<string, string>;
  onApplied: () => void;
}

interface Run {
  input: BulkRequest;
  answer: BulkResponse;
  labels: ReadonlyMap<string, string>;
}

const sameRequest = (a: BulkRequest, b: BulkRequest) =>
  a.action === b.action && a.role === b.role && a.ids.join() === b.ids.join();

/**
 * Bulk actions in two steps: a dry run lists what would happen to each selected account, then
 * applying runs the same request for real and lists what did happen.
 */
export function BulkPanel({ selected, onApplied }: BulkPanelProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const me = useMe();
  const bulk = useBulk();
  const [action, setAction] = useState<BulkAction>('suspend');
  const [role, setRole] = useState('');
  const [preview, setPreview] = useState<Run | null>(null);
  const [applied, setApplied] = useState<Run | null>(null);
  const [confirming, setConfirming] = useState(false);

  const allowed = bulkActions.filter(
    (candidate) =>
      (candidate !== 'delete' || can(me.data?.permissions, 'users:delete')) &&
      (candidate !== 'revoke_sessions' || can(me.data?.permissions, 'sessions:manage')),
  );
  const input: BulkRequest = {
    ids: [...selected.keys()],
    action,
    ...(action === 'change_role' ? { role } : {}),
    dryRun: true,
  };
  // A preview only stands for exactly the request it was made for.
  const currentPreview = preview && sameRequest(preview.input, input) ? preview : null;
  const ready = input.ids.length > 0 && (action !== 'change_role' || role !== '');

  const runPreview = () => {
    setApplied(null);
    const labels = new Map(selected);
    bulk.mutate(input, { onSuccess: (answer) => setPreview({ input, answer, labels }) });
  };
  const apply = () => {
    if (!currentPreview) return;
    const real = { ...currentPreview.input, dryRun: false };
    bulk.mutate(real, {
      onSuccess: (answer) => {
        setApplied({ input: real, answer, labels: currentPreview.labels });
        setPreview(null);
        onApplied();
      },
      onSettled: () => setConfirming(false),
    });
  };

  return (
    <section
      aria-labelledby="bulk-heading"
      className="flex flex-col gap-3 rounded-lg border border-slate-200 p-4 dark:border-slate-700"
    >
      <h2 id="bulk-heading" className="text-lg font-semibold">
        {t('admin.bulk.heading')}
      </h2>
      <p role="status" className="text-sm">
        {input.ids.length === 0
          ? t('admin.bulk.noneSelected')
          : t('admin.users.selected', { count: format.number(input.ids.length) })}
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <SelectField
          label={t('admin.bulk.action')}
          value={action}
          onChange={(event) => setAction(event.target.value as BulkAction)}
        >
          {allowed.map((candidate) => (
            <option key={candidate} value={candidate}>
              {t(actionLabels[candidate])}
            </option>
          ))}
        </SelectField>
        {action === 'change_role' ? (
          <RoleSelect
            label={t('admin.bulk.newRole')}
            value={role}
            onChange={setRole}
            emptyLabel=""
          />
        ) : null}
        <button
          type="button"
          className={primaryButton}
          disabled={!ready || bulk.isPending}
          onClick={runPreview}
        >
          {bulk.isPending && !currentPreview ? t('admin.bulk.previewing') : t('admin.bulk.preview')}
        </button>
      </div>
      <AdminError error={bulk.error} />
      {currentPreview ? (
        <>
          <BulkResults answer={currentPreview.answer} labels={currentPreview.labels} />
          <div className="flex flex-wrap gap-2">
            <button
              type="button"
              className={primaryButton}
              disabled={bulk.isPending}
              onClick={() => (destructive.has(action) ? setConfirming(true) : apply())}
            >
              {bulk.isPending ? t('admin.bulk.applying') : t('admin.bulk.apply')}
            </button>
            <button type="button" className={secondaryButton} onClick={() => setPreview(null)}>
              {t('admin.bulk.discard')}
            </button>
          </div>
        </>
      ) : null}
      {applied ? <BulkResults answer={applied.answer} labels={applied.labels} /> : null}
      <ConfirmDialog
        open={confirming}
        destructive
        busy={bulk.isPending}
        title={t('admin.bulk.confirmTitle', { action: t(actionLabels[action]) })}
        confirmLabel={t('admin.bulk.confirm')}
        cancelLabel={t('admin.common.cancel')}
        onConfirm={apply}
        onCancel={() => setConfirming(false)}
      >
        {t('admin.bulk.confirmBody', { count: format.number(input.ids.length) })}
      </ConfirmDialog>
    </section>
  );
}
