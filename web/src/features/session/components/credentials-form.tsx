import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { FormError } from '../../../components/form-error.tsx';
import { FormField } from '../../../components/form-field.tsx';
import { SubmitButton } from '../../../components/submit-button.tsx';
import { validationKeys } from '../../../i18n/validation-keys.ts';
import { useLogin, type LoginAnswer } from '../api/login.ts';

// React Hook Form's own rules, not a zod schema: this form is in the first download, and zod's
// core would add ~22 kB gzip to it (docs/web-delivery.md). The server validates again anyway.
// No trimming: an <input type="email"> already strips surrounding whitespace from its value.
const emailShape = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface Values {
  email: string;
  password: string;
}

export function CredentialsForm({ onAnswer }: { onAnswer: (answer: LoginAnswer) => void }) {
  const { t } = useTranslation();
  const login = useLogin();
  const form = useForm<Values>();
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
        {...form.register('email', {
          required: validationKeys.required,
          pattern: { value: emailShape, message: validationKeys.email },
        })}
      />
      <FormField
        label={t('session.password')}
        type="password"
        autoComplete="current-password"
        errorKey={errors.password?.message}
        {...form.register('password', { required: validationKeys.required })}
      />
      <SubmitButton busy={login.isPending}>
        {login.isPending ? t('session.signingIn') : t('session.submitSignIn')}
      </SubmitButton>
    </form>
  );
}
