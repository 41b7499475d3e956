import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { session } from '../../../lib/session/session-manager.ts';

/**
 * Back from an external provider with a session: the refresh cookie gives the access token.
 * Shown while that happens; without a cookie the sign-in did not complete (onFailed).
 */
interface OidcLandingProps {
  onSignedIn: () => void;
  onFailed: () => void;
}

export function OidcLanding(props: OidcLandingProps) {
  const { t } = useTranslation();
  const started = useRef(false);
  const callbacks = useRef(props);
  callbacks.current = props;

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void session
      .restore()
      .then((ok) => (ok ? callbacks.current.onSignedIn() : callbacks.current.onFailed()));
  }, []);

  return (
    <p role="status" className="mb-4 text-sm">
      {t('oidc.finishing')}
    </p>
  );
}
