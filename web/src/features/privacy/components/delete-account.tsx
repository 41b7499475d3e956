import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { dangerButton, secondaryButton } from '../../../components/button-styles.ts';
import { FormError } from '../../../components/form-error.tsx';
import { FormField } from '../../../components/form-field.tsx';
import { ModalDialog } from '../../../components/modal-dialog.tsx';
import { validationKeys } from '../../../i18n/validation-keys.ts';
import { useEndSession } from '../../../lib/session/use-end-session.ts';
import { useSession } from '../../../lib/session/use-session.ts';
import { useDeleteAccount } from '../api/delete-account.ts';

const schema = z.object({ confirmation: z.string().trim().min(1, validationKeys.required) });
type Values = z.infer<typeof schema>;

/**
 * Asks for the password, or (accounts created through an external provider have none) the
 * account's email typed again, then deletes the account and goes to sign-in with a notice.
 */
function DeleteForm({ onCancel }: { onCancel: () => void }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const endSession = useEndSession();
  const remove = useDeleteAccount();
  const [withEmail, setWithEmail] = useState(false);
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { confirmation: '' },
  });
  const errorKey = form.formState.errors.confirmation?.message;

  const onSubmit = form.handleSubmit(({ confirmation }) =>
    remove.mutate(withEmail ? { confirmEmail: confirmation } : { password: confirmation }, {
      onSuccess: () => void endSession('/login?reason=account-deleted'),
    }),
  );

  return (
    <form noValidate className="flex flex-col gap-4" onSubmit={onSubmit}>
      <p className="text-sm">{t('privacy.delete.warning')}</p>
      <FormError error={remove.error} />
      {withEmail ? (
        <FormField
          key="email"
          label={t('privacy.delete.typeEmail', { email: user?.email ?? '' })}
          type="email"
          autoComplete="off"
          errorKey={errorKey}
          {...form.register('confirmation')}
        />
      ) : (
        <FormField
          key="password"
          label={t('session.password')}
          type="password"
          autoComplete="current-password"
          errorKey={errorKey}
          {...form.register('confirmation')}
        />
      )}
      <button
        type="button"
        className="text-start text-sm underline"
        onClick={() => {
          setWithEmail(!withEmail);
          form.reset({ confirmation: '' });
          remove.reset();
        }}
      >
        {withEmail ? t('privacy.delete.usePassword') : t('privacy.delete.noPassword')}
      </button>
      <div className="flex flex-wrap gap-2">
        <button
          type="submit"
          className={dangerButton}
          disabled={remove.isPending}
          aria-busy={remove.isPending}
        >
          {t('privacy.delete.confirm')}
        </button>
        <button type="button" className={secondaryButton} onClick={onCancel}>
          {t('privacy.delete.cancel')}
        </button>
      </div>
    </form>
  );
}

export function DeleteAccount() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <p className="text-sm">{t('privacy.delete.help')}</p>
      <div>
        <button type="button" className={dangerButton} onClick={() => setOpen(true)}>
          {t('privacy.delete.open')}
        </button>
      </div>
      <ModalDialog
        open={open}
        title={t('privacy.delete.dialogTitle')}
        onClose={() => setOpen(false)}
      >
        <DeleteForm onCancel={() => setOpen(false)} />
      </ModalDialog>
    </>
  );
}
