import { useTranslation } from 'react-i18next';

/** Why the user is on sign-in (`?reason=`): a polite, translated status line. */
export function SignInNotice({ reason }: { reason: string | null }) {
  const { t } = useTranslation();
  const text =
    reason === 'expired'
      ? t('session.sessionEnded')
      : reason === 'signed-out-everywhere'
        ? t('oidc.notices.signedOutEverywhere')
        : reason === 'account-deleted'
          ? t('oidc.notices.accountDeleted')
          : null;
  if (!text) return null;
  return (
    <p role="status" className="mb-4 text-sm">
      {text}
    </p>
  );
}
