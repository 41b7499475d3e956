import argon2 from 'argon2';
import bcrypt from 'bcryptjs';
import { loadCommonPasswords } from './word-list.ts';

/** OWASP's minimum for argon2id: 19 MiB, two passes, one lane. Raising any of them rehashes on login. */
export const argon2Params = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

// ~49,000 most common passwords (zxcvbn-ts' frequency list), compared case-insensitively.
const commonPasswords = loadCommonPasswords();

export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
}

export type PasswordProblem = 'too_short' | 'too_long' | 'too_common' | 'contains_email';

/** NFKC, so composed and decomposed forms of one password are the same password. */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/**
 * NIST 800-63B rules: length in code points (no composition rules, no truncation), not a common
 * password, not containing the email's local part. Returns the problems, empty when acceptable.
 */
export function checkPassword(
  password: string,
  email: string | undefined,
  policy: PasswordPolicy,
): PasswordProblem[] {
  const normalized = normalizePassword(password);
  const length = [...normalized].length;
  const problems: PasswordProblem[] = [];
  if (length < policy.minLength) problems.push('too_short');
  if (length > policy.maxLength) problems.push('too_long');
  if (commonPasswords.has(normalized.toLowerCase())) problems.push('too_common');
  const localPart = email?.split('@')[0]?.toLowerCase() ?? '';
  if (localPart.length >= 3 && normalized.toLowerCase().includes(localPart))
    problems.push('contains_email');
  return problems;
}

/** argon2id on libuv's thread pool: the event loop keeps serving while it hashes. */
export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(normalizePassword(password), argon2Params);
}

/** Verifies argon2id hashes and, for accounts migrated from elsewhere, bcrypt hashes. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  const normalized = normalizePassword(password);
  if (/^\$2[aby]\$/.test(hash)) return bcrypt.compare(normalized, hash);
  try {
    return await argon2.verify(hash, normalized);
  } catch {
    return false;
  }
}

/** True for bcrypt hashes and argon2 hashes made with weaker parameters than today's. */
export function needsRehash(hash: string): boolean {
  if (!hash.startsWith('$argon2id$')) return true;
  return argon2.needsRehash(hash, argon2Params);
}

// A real hash of a random password, verified when the account does not exist (or cannot log
// in) so that every failed login costs the same time and reveals nothing.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= argon2.hash(`dummy-${Math.random()}-${Date.now()}`, argon2Params);
  return dummyHash;
}
