import type { AuditView } from '@ums/contracts/profile-schemas';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  captionClass,
  cellClass,
  headCellClass,
  tableClass,
  TableRegion,
  useFormat,
} from '../../admin-shell/public-api.ts';

/** The translated name of an audit action (`user.status_changed`), or the code itself. */
export function useActionLabel() {
  const { t, i18n } = useTranslation();
  return (action: string) => {
    const key = `admin.audit.actions.${action.replaceAll('.', '_')}`;
    return i18n.exists(key) ? t(key as 'admin.audit.actions.user_registered') : action;
  };
}

function Who({ id, linked }: { id: string | null; linked: boolean }) {
  if (!id) return <>—</>;
  if (!linked) return <code className="text-xs break-all">{id}</code>;
  return (
    <Link to={`/admin/users/${encodeURIComponent(id)}`} className="text-xs break-all underline">
      {id}
    </Link>
  );
}

interface AuditTableProps {
  entries: readonly AuditView[];
  caption: string;
  /** Ids link to the user pages when the viewer may read users. */
  linkUsers: boolean;
}

export function AuditTable({ entries, caption, linkUsers }: AuditTableProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const actionLabel = useActionLabel();
  return (
    <TableRegion label={caption}>
      <table className={`${tableClass} min-w-[56rem]`}>
        <caption className={captionClass}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className={headCellClass}>
              {t('admin.audit.time')}
            </th>
            <th scope="col" className={headCellClass}>
              {t('admin.audit.action')}
            </th>
            <th scope="col" className={headCellClass}>
              {t('admin.audit.actor')}
            </th>
            <th scope="col" className={headCellClass}>
              {t('admin.audit.user')}
            </th>
            <th scope="col" className={headCellClass}>
              {t('admin.audit.source')}
            </th>
            <th scope="col" className={headCellClass}>
              {t('admin.audit.ip')}
            </th>
            <th scope="col" className={headCellClass}>
              {t('admin.audit.details')}
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.length === 0 ? (
            <tr>
              <td colSpan={7} className={cellClass}>
                {t('admin.audit.noResults')}
              </td>
            </tr>
          ) : null}
          {entries.map((entry) => (
            <tr key={entry.id}>
              <th scope="row" className={`${cellClass} text-start font-normal whitespace-nowrap`}>
                <time dateTime={entry.occurredAt}>{format.dateTime(entry.occurredAt)}</time>
              </th>
              <td className={cellClass}>
                {actionLabel(entry.action) === entry.action ? null : (
                  <span className="block">{actionLabel(entry.action)}</span>
                )}
                <code className="text-xs text-slate-600 dark:text-slate-400">{entry.action}</code>
              </td>
              <td className={cellClass}>
                <Who id={entry.actorId} linked={linkUsers} />
              </td>
              <td className={cellClass}>
                <Who id={entry.userId} linked={linkUsers} />
              </td>
              <td className={cellClass}>{entry.source}</td>
              <td className={`${cellClass} break-all`}>{entry.ip ?? '—'}</td>
              <td className={cellClass}>
                {Object.keys(entry.details).length === 0 ? (
                  '—'
                ) : (
                  <code className="block max-w-xs text-xs break-all whitespace-pre-wrap">
                    {JSON.stringify(entry.details)}
                  </code>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
