import { isAccountStatus } from '@ums/contracts/profile';
import type { BulkResponse, BulkResult } from '@ums/contracts/bulk-schemas';
import { useTranslation } from 'react-i18next';
import {
  captionClass,
  cellClass,
  headCellClass,
  resultCodeKey,
  tableClass,
  TableRegion,
  useFormat,
} from '../../admin-shell/public-api.ts';

interface BulkResultsProps {
  answer: BulkResponse;
  /** How to name each id (the email or name shown in the directory). */
  labels: ReadonlyMap<string, string>;
}

/** One row per id: what would happen (dry run) or what happened, with translated refusals. */
export function BulkResults({ answer, labels }: BulkResultsProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const ok = answer.results.filter((result) => result.ok).length;
  const failed = answer.results.length - ok;
  const caption = answer.dryRun ? t('admin.bulk.previewCaption') : t('admin.bulk.resultsCaption');
  const value = (text: string) => (isAccountStatus(text) ? t(`admin.status.${text}`) : text);
  const outcome = (result: BulkResult) => {
    if (!result.ok) return t(resultCodeKey(result.code ?? ''));
    if (result.from !== undefined && result.to !== undefined && result.from !== result.to) {
      const change = { from: value(result.from), to: value(result.to) };
      return answer.dryRun ? t('admin.bulk.wouldChange', change) : t('admin.bulk.changed', change);
    }
    return answer.dryRun ? t('admin.bulk.wouldSucceed') : t('admin.bulk.succeeded');
  };
  return (
    <div className="flex flex-col gap-2">
      <p role="status" className="text-sm font-medium">
        {t(answer.dryRun ? 'admin.bulk.previewSummary' : 'admin.bulk.resultsSummary', {
          ok: format.number(ok),
          failed: format.number(failed),
        })}
      </p>
      <TableRegion label={caption}>
        <table className={tableClass}>
          <caption className={captionClass}>{caption}</caption>
          <thead>
            <tr>
              <th scope="col" className={headCellClass}>
                {t('admin.bulk.user')}
              </th>
              <th scope="col" className={headCellClass}>
                {t('admin.bulk.outcome')}
              </th>
            </tr>
          </thead>
          <tbody>
            {answer.results.map((result) => (
              <tr key={result.id} data-ok={result.ok}>
                <th scope="row" className={`${cellClass} text-start font-normal break-all`}>
                  {labels.get(result.id) ?? result.id}
                </th>
                <td
                  className={`${cellClass} ${
                    result.ok
                      ? 'text-green-800 dark:text-green-300'
                      : 'text-red-800 dark:text-red-300'
                  }`}
                >
                  <span aria-hidden="true">{result.ok ? '✓ ' : '✗ '}</span>
                  {outcome(result)}
                  {result.ok || !result.code ? null : (
                    <code className="ms-2 text-xs text-slate-600 dark:text-slate-400">
                      {result.code}
                    </code>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
    </div>
  );
}
