import { useId, type TextareaHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import type { ValidationKey } from '../../../i18n/validation-keys.ts';

interface TextAreaFieldProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  label: string;
  /** An i18n key, as for FormField. */
  errorKey?: string | undefined;
}

export function TextAreaField({ label, errorKey, ...textarea }: TextAreaFieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <textarea
        id={id}
        rows={4}
        aria-invalid={errorKey ? true : undefined}
        aria-describedby={errorKey ? errorId : undefined}
        className="rounded border border-slate-400 bg-white px-3 py-2 dark:border-slate-500 dark:bg-slate-900"
        {...textarea}
      />
      {errorKey ? (
        <p id={errorId} className="text-sm text-red-700 dark:text-red-300">
          {t(errorKey as ValidationKey)}
        </p>
      ) : null}
    </div>
  );
}
