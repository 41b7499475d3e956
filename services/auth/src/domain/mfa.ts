import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import type { Queryable } from '../data/db.ts';
import { setLastTotpStep } from '../data/mfa-state.ts';
import { useRecoveryCode } from '../data/recovery-codes.ts';
import type { Sealer } from './crypto.ts';

/**
 * What every authenticator app (Google Authenticator, Authy, Microsoft Authenticator, 1Password)
 * understands; some apps silently ignore other values and then show wrong codes.
 */
export const totpSettings = { algorithm: 'sha1', digits: 6, period: 30 } as const;
export const TOTP_ISSUER = 'User Management';
/** One step either way: a phone clock a little off, or a code typed as it rolled over. */
const SKEW_STEPS = 1;

/** A new TOTP secret: 160 random bits (RFC 4226's recommended length), base32. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The otpauth:// URL an authenticator app reads from a QR code. */
export function otpauthUrl(secret: string, accountEmail: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: accountEmail, secret, ...totpSettings });
}

export function totpStepAt(epochMs: number): number {
  return Math.floor(epochMs / 1000 / totpSettings.period);
}

/**
 * Checks a 6-digit code against the current step ±1. Returns the step it matched, which the caller
 * stores: a step at or before `lastStep` is refused, so each code works once (RFC 6238 §5.2).
 */
export async function verifyTotp(
  secret: string,
  code: string,
  lastStep: number | null,
  nowMs = Date.now(),
): Promise<number | undefined> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const epoch = Math.floor(nowMs / 1000);
  // otplib throws when afterTimeStep lies beyond the window; no step could be accepted then anyway.
  if (lastStep !== null && lastStep >= totpStepAt(nowMs) + SKEW_STEPS) return undefined;
  const result = await verify({
    secret,
    token,
    epoch,
    epochTolerance: SKEW_STEPS * totpSettings.period,
    afterTimeStep: lastStep ?? undefined,
    ...totpSettings,
  });
  // The functional API's result type also covers HOTP, whose results have no timeStep.
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}

export const RECOVERY_CODE_COUNT = 10;
// Crockford's base32: no i, l, o or u, so nothing reads as something else when typed from paper.
const RECOVERY_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** 10 characters of 5 random bits each (50 bits), shown as xxxx-xxxx-xx. */
export function newRecoveryCode(): string {
  const chars = [...randomBytes(10)].map((b) => RECOVERY_ALPHABET[b & 31]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const codes = new Set<string>();
  while (codes.size < count) codes.add(newRecoveryCode());
  return [...codes];
}

/** The canonical form of a typed recovery code (case, dashes, spaces, o/0 and i/l/1 forgiven). */
export function normalizeRecoveryCode(input: string): string | undefined {
  const code = input.toLowerCase().replace(/[\s-]/g, '').replace(/o/g, '0').replace(/[il]/g, '1');
  return /^[0-9a-hjkmnp-tv-z]{10}$/.test(code) ? code : undefined;
}

export type RecoveryCodeHasher = (userId: string, normalizedCode: string) => Buffer;

/**
 * Recovery codes are stored as HMAC-SHA-256 under a key derived from the key-encryption key, bound
 * to the user: 50 bits are too few to leave only an unsalted fast hash between a database dump and
 * the codes, and an HMAC still lets the database find a code by equality.
 */
export function createRecoveryCodeHasher(kek: string): RecoveryCodeHasher {
  const ikm = Buffer.from(kek, 'utf8');
  const key = Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), 'ums-auth/recovery-codes', 32));
  return (userId, normalizedCode) =>
    createHmac('sha256', key).update(`${userId}:${normalizedCode}`).digest();
}

export type SecondFactor = 'totp' | 'recovery_code';

const TOTP_CODE = /^\d{6}$/;

/** Which factor a submitted code is meant as: six digits are a TOTP code, anything else a recovery code. */
export function factorOfCode(code: string): SecondFactor {
  return TOTP_CODE.test(code.replace(/\s+/g, '')) ? 'totp' : 'recovery_code';
}

export interface MfaUser {
  id: string;
  mfaSecretEnc: string | null;
  mfaLastStep: number | null;
}

/**
 * Spends a second factor of an enrolled user: a TOTP code (its step is recorded, so it cannot be
 * replayed) or an unused recovery code (marked used). Call inside the transaction that holds the
 * user's row lock. Returns which factor was used, or undefined when the code is not valid.
 */
export function createSecondFactor(deps: { sealer: Sealer; hashRecoveryCode: RecoveryCodeHasher }) {
  return async function spend(
    db: Queryable,
    user: MfaUser,
    code: string,
  ): Promise<SecondFactor | undefined> {
    if (!user.mfaSecretEnc) return undefined;
    if (factorOfCode(code) === 'totp') {
      const step = await verifyTotp(deps.sealer.open(user.mfaSecretEnc), code, user.mfaLastStep);
      if (step === undefined) return undefined;
      await setLastTotpStep(db, user.id, step);
      return 'totp';
    }
    const recovery = normalizeRecoveryCode(code);
    if (recovery === undefined) return undefined;
    return (await useRecoveryCode(db, user.id, deps.hashRecoveryCode(user.id, recovery)))
      ? 'recovery_code'
      : undefined;
  };
}

export type SpendSecondFactor = ReturnType<typeof createSecondFactor>;
