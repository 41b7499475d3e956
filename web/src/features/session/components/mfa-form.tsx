import { useEffect, useRef } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { FormError } from '../../../components/form-error.tsx';
import { FormField } from '../../../components/form-field.tsx';
import { SubmitButton } from '../../../components/submit-button.tsx';
import { validationKeys } from '../../../i18n/validation-keys.ts';
import { useLoginMfa } from '../api/login-mfa.ts';
import type { TokenResponse } from '../../../lib/session/session-types.ts';

// Built-in rules rather than zod, as in credentials-form.tsx: this step is in the first download.
interface Values {
  code: string;
}

interface MfaFormProps {
  mfaToken: string;
  onSignedIn: (tokens: TokenResponse) => void;
  onCancel: () => void;
}

export function MfaForm({ mfaToken, onSignedIn, onCancel }: MfaFormProps) {
  const { t } = useTranslation();
  const loginMfa = useLoginMfa();
  const form = useForm<Values>();
  const heading = useRef<HTMLHeadingElement>(null);

  // The step replaces the form in place: move focus so screen readers announce it.
  useEffect(() => heading.current?.focus(), []);

  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={form.handleSubmit(({ code }) =>
        loginMfa.mutate({ mfaToken, code }, { onSuccess: onSignedIn }),
      )}
    >
      <h2 ref={heading} tabIndex={-1} className="text-lg font-semibold">
        {t('session.mfaTitle')}
      </h2>
      <p id="mfa-help" className="text-sm">
        {t('session.mfaHelp')}
      </p>
      <FormError error={loginMfa.error} />
      <FormField
        label={t('session.mfaCode')}
        autoComplete="one-time-code"
        inputMode="text"
        spellCheck={false}
        errorKey={form.formState.errors.code?.message}
        {...form.register('code', {
          setValueAs: (value: string) => value.trim(),
          required: validationKeys.required,
        })}
      />
      <SubmitButton busy={loginMfa.isPending}>{t('session.mfaSubmit')}</SubmitButton>
      <button type="button" className="text-start text-sm underline" onClick={onCancel}>
        {t('session.mfaBack')}
      </button>
    </form>
  );
}
