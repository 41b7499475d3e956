import { useId, type InputHTMLAttributes, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ValidationKey } from '../i18n/validation-keys.ts';

interface FormFieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  /** An i18n key (zod schemas carry keys as their messages). */
  errorKey?: string | undefined;
  hint?: ReactNode;
}

export function FormField({ label, errorKey, hint, ...input }: FormFieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : null, errorKey ? errorId : null].filter(Boolean).join(' ');
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        aria-invalid={errorKey ? true : undefined}
        aria-describedby={describedBy || undefined}
        className="rounded border border-slate-400 bg-white px-3 py-2 dark:border-slate-500 dark:bg-slate-900"
        {...input}
      />
      {hint ? <div id={hintId}>{hint}</div> : null}
      {errorKey ? (
        <p id={errorId} className="text-sm text-red-700 dark:text-red-300">
          {t(errorKey as ValidationKey)}
        </p>
      ) : null}
    </div>
  );
}
