import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Wide tables scroll sideways inside this region instead of the page (360 px screens): it is
 * focusable so keyboard users can scroll it, and labelled so screen readers say what it holds.
 */
export function TableRegion({ label, children }: { label: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div
      role="region"
      aria-label={t('admin.common.scrollHint', { name: label })}
      tabIndex={0}
      className="max-w-full overflow-x-auto rounded border border-slate-200 focus:outline-2 focus:outline-offset-2 focus:outline-blue-600 dark:border-slate-700"
    >
      {children}
    </div>
  );
}

export const tableClass = 'w-full min-w-[40rem] border-collapse text-start text-sm';
export const captionClass = 'p-3 text-start font-medium';
export const headCellClass =
  'border-b border-slate-300 bg-slate-50 px-3 py-2 text-start font-semibold dark:border-slate-600 dark:bg-slate-900';
export const cellClass = 'border-b border-slate-200 px-3 py-2 align-top dark:border-slate-700';
