import { zodResolver } from '@hookform/resolvers/zod';
import { useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { z } from 'zod';
import { FormError } from '../../../components/form-error.tsx';
import { FormField } from '../../../components/form-field.tsx';
import { PageCard } from '../../../components/page-card.tsx';
import { SubmitButton } from '../../../components/submit-button.tsx';
import { validationKeys } from '../../../i18n/validation-keys.ts';
import { useResetPassword } from '../api/reset-password.ts';
import { useFragmentToken } from '../hooks/use-fragment-token.ts';
import { checkPassword } from '../../../lib/password-rules.ts';
import { PasswordFeedback } from '../../../components/password-feedback.tsx';

const schema = z.object({
  newPassword: z
    .string()
    .min(1, validationKeys.required)
    .refine((value) => checkPassword(value, '').minLength, 'errors.auth.password_too_short')
    .refine((value) => checkPassword(value, '').maxLength, 'errors.auth.password_too_long'),
});
type Values = z.infer<typeof schema>;

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const token = useFragmentToken();
  const reset = useResetPassword();
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { newPassword: '' },
  });
  const newPassword = useWatch({ control: form.control, name: 'newPassword' });

  let body;
  if (!token) body = <p role="alert">{t('account.missingToken')}</p>;
  else if (reset.isSuccess) body = <p role="status">{t('account.resetDone')}</p>;
  else {
    body = (
      <form
        noValidate
        className="flex flex-col gap-4"
        onSubmit={form.handleSubmit((values) => reset.mutate({ token, ...values }))}
      >
        <FormError error={reset.error} />
        <FormField
          label={t('account.newPassword')}
          type="password"
          autoComplete="new-password"
          errorKey={form.formState.errors.newPassword?.message}
          hint={<PasswordFeedback password={newPassword} email="" />}
          {...form.register('newPassword')}
        />
        <SubmitButton busy={reset.isPending}>{t('account.submitReset')}</SubmitButton>
      </form>
    );
  }
  return (
    <PageCard title={t('account.resetTitle')}>
      {body}
      <Link className="mt-4 inline-block text-sm underline" to="/login">
        {t('account.backToSignIn')}
      </Link>
    </PageCard>
  );
}
