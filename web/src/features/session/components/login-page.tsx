import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { PageCard } from '../../../components/page-card.tsx';
import { isMfaChallenge, type LoginAnswer } from '../api/login.ts';
import type { TokenResponse } from '../../../lib/session/session-types.ts';
import { safeReturnTo } from '../return-to.ts';
import { session } from '../../../lib/session/session-manager.ts';
import { CredentialsForm } from './credentials-form.tsx';
import { MfaForm } from './mfa-form.tsx';

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [mfaToken, setMfaToken] = useState<string | null>(null);
  const returnTo = safeReturnTo(params.get('returnTo'));

  const signedIn = (tokens: TokenResponse) => {
    session.signIn(tokens);
    void navigate(returnTo, { replace: true });
  };
  const onAnswer = (answer: LoginAnswer) => {
    if (isMfaChallenge(answer)) setMfaToken(answer.mfaToken);
    else signedIn(answer);
  };

  return (
    <PageCard title={t('session.signInTitle')}>
      {params.get('reason') === 'expired' ? (
        <p role="status" className="mb-4 text-sm">
          {t('session.sessionEnded')}
        </p>
      ) : null}
      {mfaToken ? (
        <MfaForm mfaToken={mfaToken} onSignedIn={signedIn} onCancel={() => setMfaToken(null)} />
      ) : (
        <CredentialsForm onAnswer={onAnswer} />
      )}
      <div className="mt-4 flex flex-col gap-1 text-sm">
        <Link className="underline" to="/forgot-password">
          {t('session.forgotPassword')}
        </Link>
        <p>
          {t('session.noAccount')}{' '}
          <Link className="underline" to="/register">
            {t('session.createAccount')}
          </Link>
        </p>
      </div>
    </PageCard>
  );
}
