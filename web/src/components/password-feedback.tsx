import { useTranslation } from 'react-i18next';
import {
  checkPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  type PasswordRule,
} from '../lib/password-rules.ts';

/** Live checklist of the password rules; polite live region so changes are announced calmly. */
export function PasswordFeedback({ password, email }: { password: string; email: string }) {
  const { t } = useTranslation();
  const result = checkPassword(password, email);
  const labels: Record<PasswordRule, string> = {
    minLength: t('account.ruleMinLength', { min: PASSWORD_MIN_LENGTH }),
    maxLength: t('account.ruleMaxLength', { max: PASSWORD_MAX_LENGTH }),
    noEmail: t('account.ruleNoEmail'),
  };
  return (
    <div aria-live="polite" className="text-sm">
      <p>{t('account.passwordRulesTitle')}</p>
      <ul className="ps-4">
        {(Object.keys(labels) as PasswordRule[]).map((rule) => (
          <li
            key={rule}
            data-rule={rule}
            data-met={result[rule]}
            className={result[rule] ? 'text-green-800 dark:text-green-300' : ''}
          >
            <span aria-hidden="true">{result[rule] ? '✓ ' : '• '}</span>
            {labels[rule]}
            <span className="sr-only">
              {' '}
              ({result[rule] ? t('account.ruleMet') : t('account.ruleNotMet')})
            </span>
          </li>
        ))}
        <li data-rule="common">
          <span aria-hidden="true">• </span>
          {t('account.ruleCommon')}
        </li>
      </ul>
    </div>
  );
}
