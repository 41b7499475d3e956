// Mirrors the auth service's policy (docs/passwords-and-login.md) for live feedback only; the
// server stays the judge, and the common-password blocklist is checked there alone.
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export type PasswordRule = 'minLength' | 'maxLength' | 'noEmail';

/** Length in code points after NFKC, as the server counts it. */
export function passwordLength(password: string): number {
  return [...password.normalize('NFKC')].length;
}

export function emailLocalPart(email: string): string {
  const at = email.indexOf('@');
  return (at === -1 ? email : email.slice(0, at)).trim().normalize('NFKC').toLowerCase();
}

export function checkPassword(password: string, email: string): Record<PasswordRule, boolean> {
  const length = passwordLength(password);
  const local = emailLocalPart(email);
  return {
    minLength: length >= PASSWORD_MIN_LENGTH,
    maxLength: length <= PASSWORD_MAX_LENGTH,
    // Only local parts of 3+ characters count, like the server.
    noEmail: local.length < 3 || !password.normalize('NFKC').toLowerCase().includes(local),
  };
}

export type PasswordRuleErrorKey =
  | 'errors.auth.password_too_short'
  | 'errors.auth.password_too_long'
  | 'errors.auth.password_contains_email';

/** The first rule a non-empty password breaks, as the server's error key; null when none. */
export function passwordRuleError(password: string, email: string): PasswordRuleErrorKey | null {
  if (!password) return null;
  const rules = checkPassword(password, email);
  if (!rules.minLength) return 'errors.auth.password_too_short';
  if (!rules.maxLength) return 'errors.auth.password_too_long';
  if (!rules.noEmail) return 'errors.auth.password_contains_email';
  return null;
}
