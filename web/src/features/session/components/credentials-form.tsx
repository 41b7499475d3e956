import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { FormError } from '../../../components/form-error.tsx';
import { FormField } from '../../../components/form-field.tsx';
import { SubmitButton } from '../../../components/submit-button.tsx';
import { validationKeys } from '../../../i18n/validation-keys.ts';
import { useLogin, type LoginAnswer } from '../api/login.ts';

const schema = z.object({
  email: z.string().trim().min(1, validationKeys.required).pipe(z.email(validationKeys.email)),
  password: z.string().min(1, validationKeys.required),
});
type Values = z.infer<typeof schema>;

export function CredentialsForm({ onAnswer }: { onAnswer: (answer: LoginAnswer) => void }) {
  const { t } = useTranslation();
  const login = useLogin();
  const form = useForm<Values>({ resolver: zodResolver(schema) });
  const { errors } = form.formState;

  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={form.handleSubmit((values) => login.mutate(values, { onSuccess: onAnswer }))}
    >
      <FormError error={login.error} />
      <FormField
        label={t('session.email')}
        type="email"
        autoComplete="username"
        errorKey={errors.email?.message}
        {...form.register('email')}
      />
      <FormField
        label={t('session.password')}
        type="password"
        autoComplete="current-password"
        errorKey={errors.password?.message}
        {...form.register('password')}
      />
      <SubmitButton busy={login.isPending}>
        {login.isPending ? t('session.signingIn') : t('session.submitSignIn')}
      </SubmitButton>
    </form>
  );
}
