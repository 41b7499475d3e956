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
import { useRegister } from '../api/register.ts';
import { checkPassword } from '../../../lib/password-rules.ts';
import { PasswordFeedback } from '../../../components/password-feedback.tsx';

const schema = z
  .object({
    email: z.string().trim().min(1, validationKeys.required).pipe(z.email(validationKeys.email)),
    password: z.string().min(1, validationKeys.required),
    firstName: z.string().trim(),
    lastName: z.string().trim(),
  })
  .superRefine(({ password, email }, ctx) => {
    const rules = checkPassword(password, email);
    const failed = !rules.minLength
      ? 'errors.auth.password_too_short'
      : !rules.maxLength
        ? 'errors.auth.password_too_long'
        : !rules.noEmail
          ? 'errors.auth.password_contains_email'
          : null;
    if (password && failed) ctx.addIssue({ code: 'custom', path: ['password'], message: failed });
  });
type Values = z.infer<typeof schema>;

export function RegisterPage() {
  const { t } = useTranslation();
  const registration = useRegister();
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { email: '', password: '', firstName: '', lastName: '' },
  });
  const [email, password] = useWatch({ control: form.control, name: ['email', 'password'] });
  const { errors } = form.formState;

  if (registration.isSuccess) {
    return (
      <PageCard title={t('account.registerTitle')}>
        <p role="status">{t('account.registered')}</p>
      </PageCard>
    );
  }
  return (
    <PageCard title={t('account.registerTitle')}>
      <form
        noValidate
        className="flex flex-col gap-4"
        onSubmit={form.handleSubmit(({ firstName, lastName, ...rest }) =>
          registration.mutate({
            ...rest,
            ...(firstName ? { firstName } : {}),
            ...(lastName ? { lastName } : {}),
          }),
        )}
      >
        <FormError error={registration.error} />
        <FormField
          label={t('session.email')}
          type="email"
          autoComplete="email"
          errorKey={errors.email?.message}
          {...form.register('email')}
        />
        <FormField
          label={t('session.password')}
          type="password"
          autoComplete="new-password"
          errorKey={errors.password?.message}
          hint={<PasswordFeedback password={password} email={email} />}
          {...form.register('password')}
        />
        <FormField
          label={t('account.firstName')}
          autoComplete="given-name"
          {...form.register('firstName')}
        />
        <FormField
          label={t('account.lastName')}
          autoComplete="family-name"
          {...form.register('lastName')}
        />
        <SubmitButton busy={registration.isPending}>{t('account.submitRegister')}</SubmitButton>
      </form>
      <p className="mt-4 text-sm">
        {t('account.haveAccount')}{' '}
        <Link className="underline" to="/login">
          {t('session.signIn')}
        </Link>
      </p>
    </PageCard>
  );
}
