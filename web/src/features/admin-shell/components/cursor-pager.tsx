import { useTranslation } from 'react-i18next';
import { useFormat } from '../hooks/use-format.ts';
import { secondaryButton } from './fields.tsx';

interface CursorPagerProps {
  page: number;
  hasPrevious: boolean;
  nextCursor: string | null | undefined;
  onPrevious: () => void;
  onNext: (cursor: string) => void;
}

export function CursorPager({
  page,
  hasPrevious,
  nextCursor,
  onPrevious,
  onNext,
}: CursorPagerProps) {
  const { t } = useTranslation();
  const format = useFormat();
  if (!hasPrevious && !nextCursor) return null;
  return (
    <nav aria-label={t('admin.common.pagination')} className="flex items-center gap-3">
      <button
        type="button"
        className={secondaryButton}
        disabled={!hasPrevious}
        onClick={onPrevious}
      >
        {t('admin.common.previousPage')}
      </button>
      <span className="text-sm" aria-current="page">
        {t('admin.common.pageNumber', { page: format.number(page) })}
      </span>
      <button
        type="button"
        className={secondaryButton}
        disabled={!nextCursor}
        onClick={() => {
          if (nextCursor) onNext(nextCursor);
        }}
      >
        {t('admin.common.nextPage')}
      </button>
    </nav>
  );
}
