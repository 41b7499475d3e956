import { useTranslation } from 'react-i18next';
import { useDownloadExport, type ExportFormat } from '../api/export-file.ts';
import { AdminError } from './admin-error.tsx';
import { secondaryButton } from './fields.tsx';

interface ExportButtonsProps {
  /** The export endpoint, e.g. `/api/v1/users/export`. */
  path: string;
  /** The current filters, in the server's form. */
  query: URLSearchParams;
  /** File name stem used when the server names no file. */
  stem: string;
}

/** CSV and JSON downloads of what the page currently shows (same filters), as files. */
export function ExportButtons({ path, query, stem }: ExportButtonsProps) {
  const { t } = useTranslation();
  const download = useDownloadExport();
  const start = (format: ExportFormat) => {
    const withFormat = new URLSearchParams(query);
    withFormat.set('format', format);
    download.mutate({
      path: `${path}?${withFormat.toString()}`,
      fallbackName: `${stem}.${format}`,
    });
  };
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className={secondaryButton}
          disabled={download.isPending}
          onClick={() => start('csv')}
        >
          {t('admin.common.exportCsv')}
        </button>
        <button
          type="button"
          className={secondaryButton}
          disabled={download.isPending}
          onClick={() => start('json')}
        >
          {t('admin.common.exportJson')}
        </button>
      </div>
      <p role="status" className="text-sm">
        {download.isPending
          ? t('admin.common.exporting')
          : download.isSuccess
            ? t('admin.common.exported', { file: download.data })
            : null}
      </p>
      <AdminError error={download.error} />
    </div>
  );
}
