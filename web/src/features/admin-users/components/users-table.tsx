import type { SummaryView } from '@ums/contracts/profile-schemas';
import { useEffect, useRef } from 'react';
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
import { nameOf } from '../api/users.ts';
import { StatusLabel } from './status-label.tsx';

interface UsersTableProps {
  users: readonly SummaryView[];
  /** Without a selection handler the table has no checkboxes (no users:write). */
  selected?: ReadonlySet<string>;
  onToggle?: (user: SummaryView, checked: boolean) => void;
  onToggleAll?: (checked: boolean) => void;
}

function SelectAll({ users, selected, onToggleAll }: Required<Omit<UsersTableProps, 'onToggle'>>) {
  const { t } = useTranslation();
  const box = useRef<HTMLInputElement>(null);
  const count = users.filter((user) => selected.has(user.id)).length;
  const all = users.length > 0 && count === users.length;
  useEffect(() => {
    if (box.current) box.current.indeterminate = count > 0 && !all;
  }, [count, all]);
  return (
    <input
      ref={box}
      type="checkbox"
      className="size-4"
      aria-label={t('admin.users.selectAll')}
      checked={all}
      disabled={users.length === 0}
      onChange={(event) => onToggleAll(event.target.checked)}
    />
  );
}

export function UsersTable({ users, selected, onToggle, onToggleAll }: UsersTableProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const selectable = selected && onToggle && onToggleAll;
  return (
    <TableRegion label={t('admin.users.caption')}>
      <table className={tableClass}>
        <caption className={captionClass}>{t('admin.users.caption')}</caption>
        <thead>
          <tr>
            {selectable ? (
              <td className={`${headCellClass} w-10`}>
                <SelectAll users={users} selected={selected} onToggleAll={onToggleAll} />
              </td>
            ) : null}
            <th scope="col" className={headCellClass}>
              {t('admin.users.name')}
            </th>
            <th scope="col" className={headCellClass}>
              {t('admin.users.email')}
            </th>
            <th scope="col" className={headCellClass}>
              {t('admin.users.role')}
            </th>
            <th scope="col" className={headCellClass}>
              {t('admin.users.status')}
            </th>
            <th scope="col" className={headCellClass}>
              {t('admin.users.created')}
            </th>
            <th scope="col" className={headCellClass}>
              {t('admin.users.lastLogin')}
            </th>
          </tr>
        </thead>
        <tbody>
          {users.length === 0 ? (
            <tr>
              <td colSpan={selectable ? 7 : 6} className={cellClass}>
                {t('admin.users.noResults')}
              </td>
            </tr>
          ) : null}
          {users.map((user) => {
            const name = nameOf(user) || t('admin.users.noName');
            return (
              <tr key={user.id}>
                {selectable ? (
                  <td className={cellClass}>
                    <input
                      type="checkbox"
                      className="size-4"
                      aria-label={t('admin.users.select', { name })}
                      checked={selected.has(user.id)}
                      onChange={(event) => onToggle(user, event.target.checked)}
                    />
                  </td>
                ) : null}
                <th scope="row" className={`${cellClass} text-start font-medium`}>
                  <Link to={`/admin/users/${encodeURIComponent(user.id)}`} className="underline">
                    {name}
                  </Link>
                </th>
                <td className={`${cellClass} break-all`}>{user.email ?? '—'}</td>
                <td className={cellClass}>{user.role ?? '—'}</td>
                <td className={cellClass}>
                  <StatusLabel status={user.status} />
                </td>
                <td className={`${cellClass} whitespace-nowrap`}>{format.date(user.createdAt)}</td>
                <td className={`${cellClass} whitespace-nowrap`}>
                  {format.dateTime(user.lastLoginAt)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableRegion>
  );
}
