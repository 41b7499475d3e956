import { generate } from 'otplib';
import {
  RECOVERY_CODE_COUNT,
  createRecoveryCodeHasher,
  newRecoveryCodes,
  newTotpSecret,
  normalizeRecoveryCode,
  otpauthUrl,
  totpSettings,
  totpStepAt,
  verifyTotp,
} from './mfa.ts';
import { mfaEnrollmentRequired, mfaRequiredFor } from './mfa-policy.ts';

// A fixed instant 10 s into a step, so "previous" and "next" steps are exact.
const now = (totpStepAt(Date.UTC(2026, 0, 15, 12)) * 30 + 10) * 1000;
const step = totpStepAt(now);
const codeAt = (secret: string, stepOffset: number) =>
  generate({ secret, epoch: (step + stepOffset) * 30 + 5, ...totpSettings });

describe('TOTP', () => {
  const secret = newTotpSecret();

  it('when a secret is generated, then it is base32 of 160 bits and differs each time', () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
  });

  it('when the otpauth URL is built, then it names the issuer and the email and uses the app defaults', () => {
    const url = new URL(otpauthUrl(secret, 'ada+mfa@example.com'));
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/User Management:ada+mfa@example.com');
    expect(url.searchParams.get('secret')).toBe(secret);
    expect(url.searchParams.get('issuer')).toBe('User Management');
    // Parameters an app may omit must, when present, be the defaults.
    for (const [key, expected] of [
      ['algorithm', 'SHA1'],
      ['digits', '6'],
      ['period', '30'],
    ] as const) {
      const value = url.searchParams.get(key);
      if (value !== null) expect(value.toUpperCase()).toBe(expected);
    }
  });

  it('when the code of this step, the previous or the next one is given, then its step is returned', async () => {
    await expect(verifyTotp(secret, await codeAt(secret, 0), null, now)).resolves.toBe(step);
    await expect(verifyTotp(secret, await codeAt(secret, -1), null, now)).resolves.toBe(step - 1);
    await expect(verifyTotp(secret, await codeAt(secret, 1), null, now)).resolves.toBe(step + 1);
  });

  it('when a code is two steps old or two steps ahead, then it is refused', async () => {
    await expect(verifyTotp(secret, await codeAt(secret, -2), null, now)).resolves.toBeUndefined();
    await expect(verifyTotp(secret, await codeAt(secret, 2), null, now)).resolves.toBeUndefined();
  });

  it('when a step at or before the last used one is presented, then it is refused (replay)', async () => {
    const code = await codeAt(secret, 0);
    await expect(verifyTotp(secret, code, step, now)).resolves.toBeUndefined();
    await expect(
      verifyTotp(secret, await codeAt(secret, -1), step - 1, now),
    ).resolves.toBeUndefined();
    await expect(verifyTotp(secret, code, step - 1, now)).resolves.toBe(step);
    // A last step beyond the window (clock moved back) refuses everything instead of throwing.
    await expect(verifyTotp(secret, code, step + 5, now)).resolves.toBeUndefined();
  });

  it('when the code has spaces, then they are ignored; when it is not 6 digits, then it is refused', async () => {
    const code = await codeAt(secret, 0);
    await expect(
      verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, null, now),
    ).resolves.toBe(step);
    for (const bad of ['', '12345', '1234567', 'abcdef', `${code}0`]) {
      await expect(verifyTotp(secret, bad, null, now)).resolves.toBeUndefined();
    }
  });

  it('when the code belongs to another secret, then it is refused', async () => {
    await expect(
      verifyTotp(secret, await codeAt(newTotpSecret(), 0), null, now),
    ).resolves.toBeUndefined();
  });
});

describe('recovery codes', () => {
  it('when a set is generated, then it has 10 distinct codes shaped xxxx-xxxx-xx from an unambiguous alphabet', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes)
      expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{2}$/);
    expect(newRecoveryCodes()).not.toEqual(codes);
  });

  it('when a code is typed in capitals, without dashes or with o/l for 0/1, then it normalises to the same code', () => {
    expect(normalizeRecoveryCode('ab01-cd1e-f0')).toBe('ab01cd1ef0');
    expect(normalizeRecoveryCode(' AB0I CDLE FO ')).toBe('ab01cd1ef0');
  });

  it('when the input cannot be a recovery code, then it is refused', () => {
    for (const bad of [
      '',
      '123456',
      'ab01-cd1e-f',
      'ab01-cd1e-f00',
      'ab01-cd1e-fu',
      'ab01-cd1e-f!',
    ]) {
      expect(normalizeRecoveryCode(bad)).toBeUndefined();
    }
  });

  it('when codes are hashed, then the hash depends on the key and on the user, and never contains the code', () => {
    const hash = createRecoveryCodeHasher('kek-one');
    const code = 'ab01cd1ef0';
    expect(hash('user-a', code).equals(hash('user-a', code))).toBe(true);
    expect(hash('user-a', code).equals(hash('user-b', code))).toBe(false);
    expect(hash('user-a', code).equals(createRecoveryCodeHasher('kek-two')('user-a', code))).toBe(
      false,
    );
    expect(hash('user-a', code).toString('latin1')).not.toContain(code);
  });
});

describe('MFA policy', () => {
  it('when the role is listed and MFA is off, then enrolment is required; otherwise not', () => {
    expect(mfaRequiredFor('admin', ['admin', 'super_admin'])).toBe(true);
    expect(mfaEnrollmentRequired({ role: 'admin', mfaEnabled: false }, ['admin'])).toBe(true);
    expect(mfaEnrollmentRequired({ role: 'admin', mfaEnabled: true }, ['admin'])).toBe(false);
    expect(mfaEnrollmentRequired({ role: 'user', mfaEnabled: false }, ['admin'])).toBe(false);
    expect(mfaEnrollmentRequired({ role: 'admin', mfaEnabled: false }, [])).toBe(false);
  });
});
