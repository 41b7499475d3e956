import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { FormError } from '../../../components/form-error.tsx';
import { PageCard } from '../../../components/page-card.tsx';
import { ApiError } from '../../../lib/http.ts';
import { useFinishEndedSession } from '../../../lib/session/use-end-session.ts';
import { isMfaChallenge, type LoginAnswer } from '../api/login.ts';
import type { TokenResponse } from '../../../lib/session/session-types.ts';
import { safeReturnTo } from '../return-to.ts';
import { session } from '../../../lib/session/session-manager.ts';
import { CredentialsForm } from './credentials-form.tsx';
import { MfaForm } from './mfa-form.tsx';
import { isMfaFragment, takeOidcMfaToken } from '../oidc-landing.ts';
import { OidcButtons } from './oidc-buttons.tsx';
import { OidcLanding } from './oidc-landing.tsx';
import { SignInNotice } from './sign-in-notice.tsx';

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { hash } = useLocation();
  const [mfaToken, setMfaToken] = useState<string | null>(null);
  const returnTo = safeReturnTo(params.get('returnTo'));
  // Back from an external provider (?oidc=1): a session to restore, or the MFA step.
  const oidcMfa = params.get('oidc') === '1' && isMfaFragment(hash);
  const [oidcLanding, setOidcLanding] = useState(params.get('oidc') === '1' && !oidcMfa);
  const [oidcError, setOidcError] = useState<string | null>(null);
  const tookMfaToken = useRef(false);
  const errorCode = params.get('error');
  useFinishEndedSession();

  useEffect(() => {
    if (!oidcMfa || tookMfaToken.current) return;
    tookMfaToken.current = true;
    const token = takeOidcMfaToken();
    if (token) setMfaToken(token);
    else setOidcError('auth.invalid_mfa_token');
  }, [oidcMfa]);

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
      <SignInNotice reason={params.get('reason')} />
      {errorCode || oidcError ? (
        <FormError error={new ApiError(400, oidcError ?? errorCode ?? '')} />
      ) : null}
      {oidcLanding ? (
        <OidcLanding
          onSignedIn={() => void navigate(returnTo, { replace: true })}
          onFailed={() => {
            setOidcLanding(false);
            setOidcError('auth.oidc_failed');
          }}
        />
      ) : null}
      {mfaToken ? (
        <MfaForm mfaToken={mfaToken} onSignedIn={signedIn} onCancel={() => setMfaToken(null)} />
      ) : oidcLanding ? null : (
        <>
          <CredentialsForm onAnswer={onAnswer} />
          <OidcButtons returnTo={returnTo} />
        </>
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
