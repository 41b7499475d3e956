import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { primaryButton, secondaryButton } from '../../../components/button-styles.ts';
import { FormError } from '../../../components/form-error.tsx';
import { useMfaStatus, useSetupTotp, type TotpSetup as Setup } from '../api/mfa.ts';
import { DisableTotpDialog, RegenerateCodesDialog } from './mfa-dialogs.tsx';
import { RecoveryCodes } from './recovery-codes.tsx';
import { TotpSetup } from './totp-setup.tsx';

type Dialog = 'disable' | 'regenerate' | null;

/** TOTP: status, enrolment with QR code, recovery codes (shown once), turning it off. */
export function TotpSection() {
  const { t } = useTranslation();
  const status = useMfaStatus();
  const startSetup = useSetupTotp();
  const [setup, setSetup] = useState<Setup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);

  if (status.isPending) return <p role="status">{t('app.loading')}</p>;
  if (status.isError) return <FormError error={status.error} />;

  if (codes) return <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />;
  if (setup) {
    return (
      <TotpSetup
        setup={setup}
        onCancel={() => setSetup(null)}
        onEnabled={(recoveryCodes) => {
          setSetup(null);
          setCodes(recoveryCodes);
        }}
      />
    );
  }

  const { enabled, required, recoveryCodesRemaining } = status.data;
  return (
    <div className="flex flex-col gap-3">
      <p role="status">
        {enabled
          ? t('security.totp.on', { remaining: recoveryCodesRemaining })
          : t('security.totp.off')}
      </p>
      {required && !enabled ? <p className="text-sm">{t('security.totp.required')}</p> : null}
      <FormError error={startSetup.error} />
      <div className="flex flex-wrap gap-2">
        {enabled ? (
          <>
            <button
              type="button"
              className={secondaryButton}
              onClick={() => setDialog('regenerate')}
            >
              {t('security.totp.regenerate')}
            </button>
            <button type="button" className={secondaryButton} onClick={() => setDialog('disable')}>
              {t('security.totp.disable')}
            </button>
          </>
        ) : (
          <button
            type="button"
            className={primaryButton}
            disabled={startSetup.isPending}
            aria-busy={startSetup.isPending}
            onClick={() => startSetup.mutate(undefined, { onSuccess: setSetup })}
          >
            {t('security.totp.setUp')}
          </button>
        )}
      </div>
      <DisableTotpDialog open={dialog === 'disable'} onClose={() => setDialog(null)} />
      <RegenerateCodesDialog
        open={dialog === 'regenerate'}
        onClose={() => setDialog(null)}
        onCodes={(recoveryCodes) => {
          setDialog(null);
          setCodes(recoveryCodes);
        }}
      />
    </div>
  );
}
