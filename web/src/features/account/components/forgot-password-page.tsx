import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { z } from 'zod';
import { FormError } from '../../../components/form-error.tsx';
import { FormField } from '../../../components/form-field.tsx';
import { PageCard } from '../../../components/page-card.tsx';
import { SubmitButton } from '../../../components/submit-button.tsx';
import { validationKeys } from '../../../i18n/validation-keys.ts';
import { useForgotPassword } from '../api/forgot-password.ts';

const schema = z.object({
  email: z.string().trim().min(1, validationKeys.required).pipe(z.email(validationKeys.email)),
});
type Values = z.infer<typeof schema>;

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const forgot = useForgotPassword();
  const form = useForm<Values>({ resolver: zodResolver(schema) });

  return (
    <PageCard title={t('account.forgotTitle')}>
      {forgot.isSuccess ? (
        // The server answers the same for every address, and so does this page.
        <p role="status">{t('account.forgotSent')}</p>
      ) : (
        <form
          noValidate
          className="flex flex-col gap-4"
          onSubmit={form.handleSubmit((values) => forgot.mutate(values))}
        >
          <p className="text-sm">{t('account.forgotHelp')}</p>
          <FormError error={forgot.error} />
          <FormField
            label={t('session.email')}
            type="email"
            autoComplete="email"
            errorKey={form.formState.errors.email?.message}
            {...form.register('email')}
          />
          <SubmitButton busy={forgot.isPending}>{t('account.submitForgot')}</SubmitButton>
        </form>
      )}
      <Link className="mt-4 inline-block text-sm underline" to="/login">
        {t('account.backToSignIn')}
      </Link>
    </PageCard>
  );
}
