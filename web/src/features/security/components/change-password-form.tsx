import { zodResolver } from '@hookform/resolvers/zod';
import { useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { FormError } from '../../../components/form-error.tsx';
import { FormField } from '../../../components/form-field.tsx';
import { PasswordFeedback } from '../../../components/password-feedback.tsx';
import { SubmitButton } from '../../../components/submit-button.tsx';
import { validationKeys } from '../../../i18n/validation-keys.ts';
import { ApiError } from '../../../lib/http.ts';
import { passwordRuleError } from '../../../lib/password-rules.ts';
import { useChangePassword } from '../api/change-password.ts';

const schemaFor = (email: string) =>
  z
    .object({
      currentPassword: z.string().min(1, validationKeys.required),
      newPassword: z.string().min(1, validationKeys.required),
    })
    .superRefine(({ newPassword }, ctx) => {
      const failed = passwordRuleError(newPassword, email);
      if (failed) ctx.addIssue({ code: 'custom', path: ['newPassword'], message: failed });
    });
type Values = z.infer<ReturnType<typeof schemaFor>>;

export function ChangePasswordForm({ email }: { email: string }) {
  const { t } = useTranslation();
  const change = useChangePassword();
  const form = useForm<Values>({
    resolver: zodResolver(schemaFor(email)),
    defaultValues: { currentPassword: '', newPassword: '' },
  });
  const newPassword = useWatch({ control: form.control, name: 'newPassword' });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit((values) =>
    change.mutate(values, {
      onSuccess: () => form.reset(),
      onError: (error) => {
        if (error instanceof ApiError && error.code === 'auth.invalid_current_password') {
          form.setError('currentPassword', { message: 'errors.auth.invalid_current_password' });
        }
      },
    }),
  );

  return (
    <form noValidate className="flex flex-col gap-4" onSubmit={onSubmit}>
      <FormError error={change.error} />
      <FormField
        label={t('security.password.current')}
        type="password"
        autoComplete="current-password"
        errorKey={errors.currentPassword?.message}
        {...form.register('currentPassword')}
      />
      <FormField
        label={t('account.newPassword')}
        type="password"
        autoComplete="new-password"
        errorKey={errors.newPassword?.message}
        hint={<PasswordFeedback password={newPassword} email={email} />}
        {...form.register('newPassword')}
      />
      <SubmitButton busy={change.isPending}>{t('security.password.submit')}</SubmitButton>
      <p role="status" className="text-sm">
        {change.data
          ? t('security.password.changed', { sessions: change.data.sessionsRevoked })
          : ''}
      </p>
    </form>
  );
}
