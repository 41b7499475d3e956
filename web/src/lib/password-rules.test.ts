import { describe, expect, it } from 'vitest';
import { checkPassword, passwordRuleError } from './password-rules.ts';

describe('checkPassword', () => {
  it('when the password has 11 code points, then the minimum length is not met', () => {
    expect(checkPassword('a'.repeat(11), 'x@example.com').minLength).toBe(false);
    expect(checkPassword('a'.repeat(12), 'x@example.com').minLength).toBe(true);
  });

  it('when the password has 129 code points, then the maximum length is not met', () => {
    expect(checkPassword('a'.repeat(129), '').maxLength).toBe(false);
    expect(checkPassword('a'.repeat(128), '').maxLength).toBe(true);
  });

  it('when characters are astral (emoji), then each counts once, as code points', () => {
    expect(checkPassword('😀'.repeat(12), '').minLength).toBe(true);
  });

  it('when the password contains the email local part in any case, then noEmail fails', () => {
    expect(checkPassword('xxAdaLovelace-2024', 'adalovelace@example.com').noEmail).toBe(false);
    expect(checkPassword('correct horse battery', 'adalovelace@example.com').noEmail).toBe(true);
  });

  it('when the local part is shorter than 3 characters, then it is not checked', () => {
    expect(checkPassword('my-ab-password', 'ab@example.com').noEmail).toBe(true);
  });
});

describe('passwordRuleError', () => {
  it('when rules are broken, then the first one is named with the server error key', () => {
    expect(passwordRuleError('', 'ada@example.com')).toBeNull();
    expect(passwordRuleError('short', 'ada@example.com')).toBe('errors.auth.password_too_short');
    expect(passwordRuleError('a'.repeat(129), '')).toBe('errors.auth.password_too_long');
    expect(passwordRuleError('lovelace-ada-1815', 'ada.lovelace@example.com')).toBeNull();
    expect(passwordRuleError('xx-ada-lovelace-xx', 'ada-lovelace@example.com')).toBe(
      'errors.auth.password_contains_email',
    );
  });
});
