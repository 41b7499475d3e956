import { zodResolver } from '@hookform/resolvers/zod';
import { useId } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { secondaryButton } from '../../../components/button-styles.ts';
import { FormError } from '../../../components/form-error.tsx';
import { FormField } from '../../../components/form-field.tsx';
import { SubmitButton } from '../../../components/submit-button.tsx';
import { validationKeys } from '../../../i18n/validation-keys.ts';
import { useEnableTotp, type TotpSetup as Setup } from '../api/mfa.ts';
import { QrCode } from './qr-code.tsx';

const schema = z.object({ code: z.string().trim().min(1, validationKeys.required) });
type Values = z.infer<typeof schema>;

interface TotpSetupProps {
  setup: Setup;
  onEnabled: (recoveryCodes: string[]) => void;
  onCancel: () => void;
}

/** Step two of enrolment: scan (or type the key), then confirm with a first code. */
export function TotpSetup({ setup, onEnabled, onCancel }: TotpSetupProps) {
  const { t } = useTranslation();
  const enable = useEnableTotp();
  const keyId = useId();
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { code: '' } });

  return (
    <div className="flex flex-col gap-4">
      <ol className="flex list-decimal flex-col gap-1 ps-5 text-sm">
        <li>{t('security.totp.stepScan')}</li>
        <li>{t('security.totp.stepCode')}</li>
      </ol>
      <QrCode value={setup.otpauthUrl} label={t('security.totp.qrLabel')} />
      <div className="flex flex-col gap-1">
        <label htmlFor={keyId} className="text-sm font-medium">
          {t('security.totp.setupKey')}
        </label>
        <input
          id={keyId}
          readOnly
          dir="ltr"
          value={setup.secret}
          onFocus={(event) => event.currentTarget.select()}
          className="rounded border border-slate-400 bg-slate-50 px-3 py-2 font-mono text-sm dark:border-slate-500 dark:bg-slate-800"
        />
      </div>
      <form
        noValidate
        className="flex flex-col gap-4"
        onSubmit={form.handleSubmit(({ code }) =>
          enable.mutate(code, { onSuccess: (answer) => onEnabled(answer.recoveryCodes) }),
        )}
      >
        <FormError error={enable.error} />
        <FormField
          label={t('security.totp.code')}
          autoComplete="one-time-code"
          inputMode="numeric"
          spellCheck={false}
          errorKey={form.formState.errors.code?.message}
          {...form.register('code')}
        />
        <div className="flex flex-wrap gap-2">
          <SubmitButton busy={enable.isPending}>{t('security.totp.enable')}</SubmitButton>
          <button type="button" className={secondaryButton} onClick={onCancel}>
            {t('security.cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}
