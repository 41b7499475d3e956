import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { FormError } from '../../../components/form-error.tsx';
import { PageCard } from '../../../components/page-card.tsx';
import { useVerifyEmail } from '../api/verify-email.ts';
import { useFragmentToken } from '../hooks/use-fragment-token.ts';

export function VerifyEmailPage() {
  const { t } = useTranslation();
  const token = useFragmentToken();
  const verify = useVerifyEmail();
  const sent = useRef(false);
  const { mutate } = verify;

  useEffect(() => {
    // Tokens are single use: StrictMode's double effect must not post it twice.
    if (!token || sent.current) return;
    sent.current = true;
    mutate({ token });
  }, [token, mutate]);

  let body;
  if (!token) body = <p role="alert">{t('account.missingToken')}</p>;
  else if (verify.isSuccess) body = <p role="status">{t('account.verified')}</p>;
  else if (verify.isError) body = <FormError error={verify.error} />;
  else body = <p role="status">{t('account.verifying')}</p>;

  return (
    <PageCard title={t('account.verifyTitle')}>
      {body}
      <Link className="mt-4 inline-block text-sm underline" to="/login">
        {t('account.backToSignIn')}
      </Link>
    </PageCard>
  );
}
