import type { MailMessage } from './mailer.ts';

// Plain-text messages of the account flows. Each link is also listed in `links`, so a reader of
// the local outbox (tests, `npm start` users) needs no parsing.

const hours = (seconds: number) =>
  seconds % 3600 === 0
    ? `${seconds / 3600} hour${seconds === 3600 ? '' : 's'}`
    : `${Math.round(seconds / 60)} minutes`;

export function verificationMail(to: string, link: string, ttlSeconds: number): MailMessage {
  return {
    to,
    subject: 'Confirm your email address',
    text: `Confirm your email address by opening this link within ${hours(ttlSeconds)}:\n\n${link}\n\nIf you did not create an account, ignore this message.\n`,
    links: { verifyEmail: link },
  };
}

export function passwordResetMail(to: string, link: string, ttlSeconds: number): MailMessage {
  return {
    to,
    subject: 'Reset your password',
    text: `Someone asked to reset the password of your account. To choose a new password, open this link within ${hours(ttlSeconds)}:\n\n${link}\n\nThe link works once. If you did not ask for it, ignore this message: your password stays as it is.\n`,
    links: { resetPassword: link },
  };
}

export function passwordChangedMail(
  to: string,
  how: 'change' | 'reset',
  signInUrl: string,
): MailMessage {
  const what =
    how === 'reset'
      ? 'was reset and every session was signed out'
      : 'was changed and your other sessions were signed out';
  return {
    to,
    subject: 'Your password was changed',
    text: `The password of your account ${what}.\n\nIf this was not you, reset your password now at ${signInUrl} and contact support.\n`,
    links: { signIn: signInUrl },
  };
}

/** Sent instead of an error when someone registers an email that already has an account. */
export function alreadyRegisteredMail(
  to: string,
  signInUrl: string,
  resetUrl: string,
): MailMessage {
  return {
    to,
    subject: 'You already have an account',
    text: `Someone tried to create an account with this email address, which already has one.\n\nIf it was you, sign in at ${signInUrl}, or reset your password at ${resetUrl}.\nIf it was not you, ignore this message.\n`,
    links: { signIn: signInUrl, forgotPassword: resetUrl },
  };
}

/** Absolute URL of a web-app page. */
export function pageUrl(publicBaseUrl: string, page: string): string {
  return new URL(
    page,
    publicBaseUrl.endsWith('/') ? publicBaseUrl : `${publicBaseUrl}/`,
  ).toString();
}
