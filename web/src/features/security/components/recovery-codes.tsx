import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { secondaryButton } from '../../../components/button-styles.ts';
import { saveBlob } from '../../../lib/download.ts';

/** Recovery codes, shown once: copy or download them before leaving. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const text = `${codes.join('\n')}\n`;

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };

  return (
    <div className="flex flex-col gap-3">
      <h3 className="font-semibold">{t('security.recovery.title')}</h3>
      <p className="text-sm">{t('security.recovery.help')}</p>
      <ul
        aria-label={t('security.recovery.listLabel')}
        className="grid grid-cols-2 gap-2 rounded bg-slate-100 p-3 font-mono text-sm dark:bg-slate-800"
      >
        {codes.map((code) => (
          <li key={code} dir="ltr">
            {code}
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-2">
        <button type="button" className={secondaryButton} onClick={() => void copy()}>
          {t('security.recovery.copy')}
        </button>
        <button
          type="button"
          className={secondaryButton}
          onClick={() =>
            saveBlob(new Blob([text], { type: 'text/plain;charset=utf-8' }), 'recovery-codes.txt')
          }
        >
          {t('security.recovery.download')}
        </button>
        <button type="button" className={secondaryButton} onClick={onDone}>
          {t('security.recovery.done')}
        </button>
      </div>
      <p role="status" className="text-sm">
        {copied === 'yes' ? t('security.recovery.copied') : ''}
        {copied === 'failed' ? t('security.recovery.copyFailed') : ''}
      </p>
    </div>
  );
}
