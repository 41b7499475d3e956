import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { secondaryButton } from '../../../components/button-styles.ts';
import { FormError } from '../../../components/form-error.tsx';
import { FormField } from '../../../components/form-field.tsx';
import { ModalDialog } from '../../../components/modal-dialog.tsx';
import { SubmitButton } from '../../../components/submit-button.tsx';
import { validationKeys } from '../../../i18n/validation-keys.ts';
import { useDisableTotp, useRegenerateRecoveryCodes } from '../api/mfa.ts';

const required = z.string().min(1, validationKeys.required);
const disableSchema = z.object({
  password: required,
  code: z.string().trim().min(1, validationKeys.required),
});
const regenerateSchema = z.object({ password: required });

function DisableForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const disable = useDisableTotp();
  const form = useForm<z.infer<typeof disableSchema>>({
    resolver: zodResolver(disableSchema),
    defaultValues: { password: '', code: '' },
  });
  const { errors } = form.formState;
  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={form.handleSubmit((values) => disable.mutate(values, { onSuccess: onClose }))}
    >
      <p className="text-sm">{t('security.totp.disableHelp')}</p>
      <FormError error={disable.error} />
      <FormField
        label={t('session.password')}
        type="password"
        autoComplete="current-password"
        errorKey={errors.password?.message}
        {...form.register('password')}
      />
      <FormField
        label={t('session.mfaCode')}
        autoComplete="one-time-code"
        spellCheck={false}
        errorKey={errors.code?.message}
        {...form.register('code')}
      />
      <div className="flex flex-wrap gap-2">
        <SubmitButton busy={disable.isPending}>{t('security.totp.confirmDisable')}</SubmitButton>
        <button type="button" className={secondaryButton} onClick={onClose}>
          {t('security.cancel')}
        </button>
      </div>
    </form>
  );
}

export function DisableTotpDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <ModalDialog open={open} title={t('security.totp.disableTitle')} onClose={onClose}>
      <DisableForm onClose={onClose} />
    </ModalDialog>
  );
}

function RegenerateForm({
  onClose,
  onCodes,
}: {
  onClose: () => void;
  onCodes: (codes: string[]) => void;
}) {
  const { t } = useTranslation();
  const regenerate = useRegenerateRecoveryCodes();
  const form = useForm<z.infer<typeof regenerateSchema>>({
    resolver: zodResolver(regenerateSchema),
    defaultValues: { password: '' },
  });
  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={form.handleSubmit(({ password }) =>
        regenerate.mutate(password, { onSuccess: (answer) => onCodes(answer.recoveryCodes) }),
      )}
    >
      <p className="text-sm">{t('security.totp.regenerateHelp')}</p>
      <FormError error={regenerate.error} />
      <FormField
        label={t('session.password')}
        type="password"
        autoComplete="current-password"
        errorKey={form.formState.errors.password?.message}
        {...form.register('password')}
      />
      <div className="flex flex-wrap gap-2">
        <SubmitButton busy={regenerate.isPending}>
          {t('security.totp.confirmRegenerate')}
        </SubmitButton>
        <button type="button" className={secondaryButton} onClick={onClose}>
          {t('security.cancel')}
        </button>
      </div>
    </form>
  );
}

export function RegenerateCodesDialog({
  open,
  onClose,
  onCodes,
}: {
  open: boolean;
  onClose: () => void;
  onCodes: (codes: string[]) => void;
}) {
  const { t } = useTranslation();
  return (
    <ModalDialog open={open} title={t('security.totp.regenerateTitle')} onClose={onClose}>
      <RegenerateForm onClose={onClose} onCodes={onCodes} />
    </ModalDialog>
  );
}
