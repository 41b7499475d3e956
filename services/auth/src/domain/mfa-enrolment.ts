import { invalidAccessToken } from '@ums/service-kit/bearer';
import { badRequest, conflict, forbidden } from '@ums/service-kit/errors';
import { withTransaction, type Db, type DbClient } from '../data/db.ts';
import { activatePendingTotpSecret, clearMfa, setPendingTotpSecret } from '../data/mfa-state.ts';
import { appendEvent } from '../data/outbox.ts';
import {
  countUnusedRecoveryCodes,
  deleteRecoveryCodes,
  replaceRecoveryCodes,
} from '../data/recovery-codes.ts';
import type { UserRecord, UsersRepository } from '../data/users-repository.ts';
import type { Sealer } from './crypto.ts';
import { isLocked, recordFailedAttempt, type LockoutPolicy } from './lockout.ts';
import {
  newRecoveryCodes,
  newTotpSecret,
  otpauthUrl,
  verifyTotp,
  type RecoveryCodeHasher,
  type SecondFactor,
  type SpendSecondFactor,
} from './mfa.ts';
import { mfaRequiredFor } from './mfa-policy.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';
import { revokeAllSessions } from './session-revocation.ts';

/** The signed-in user acting on their own MFA, with what the audit trail needs. */
export interface MfaActor {
  userId: string;
  sessionId: string;
  requestId: string;
  ip: string;
}

export interface MfaStatus {
  enabled: boolean;
  required: boolean;
  recoveryCodesRemaining: number;
}

type Outcome<T> = { ok: true; value: T } | { ok: false };

const reauthenticationFailed = () =>
  forbidden('auth.reauthentication_failed', 'The password or the code is not correct.');

/**
 * Enrolment and management of TOTP and recovery codes for the signed-in user. Changes that weaken
 * or replace factors need the current password again (and, to disable, a second factor); those
 * re-authentication failures count toward the account lockout like failed sign-ins, so a stolen
 * access token cannot be used to guess the password.
 */
export function createMfaEnrolment(deps: {
  db: Db;
  users: UsersRepository;
  sealer: Sealer;
  hashRecoveryCode: RecoveryCodeHasher;
  spendSecondFactor: SpendSecondFactor;
  lockoutPolicy: LockoutPolicy;
  requiredRoles: readonly string[];
  onLockout: () => void;
}) {
  async function lockedUser(tx: DbClient, userId: string): Promise<UserRecord> {
    const user = await deps.users.findById(tx, userId, true);
    if (!user || user.status !== 'active') throw invalidAccessToken();
    return user;
  }

  // Generated codes are canonical but for the dashes, so they hash as a typed code normalises.
  function hashedCodes(userId: string, codes: readonly string[]): Buffer[] {
    return codes.map((code) => deps.hashRecoveryCode(userId, code.replace(/-/g, '')));
  }

  async function passwordMatches(user: UserRecord, password: string): Promise<boolean> {
    if (isLocked(user)) return false;
    // Accounts without a password (federated only) still cost one hash, and fail.
    const matches = await verifyPassword(
      user.passwordHash ?? (await dummyPasswordHash()),
      password,
    );
    return matches && user.passwordHash !== null;
  }

  async function recordReauthFailure(
    tx: DbClient,
    user: UserRecord,
    actor: MfaActor,
  ): Promise<void> {
    const { locked, lockedUntil } = await recordFailedAttempt(tx, user.id, deps.lockoutPolicy);
    if (!locked) return;
    deps.onLockout();
    await appendEvent(tx, {
      type: 'auth.locked',
      aggregateId: user.id,
      actorId: user.id,
      requestId: actor.requestId,
      ip: actor.ip,
      data: {
        reason: 'reauthentication_failures',
        lockedUntil: lockedUntil?.toISOString() ?? null,
      },
    });
  }

  /** Runs `work` after re-authentication; a failure is committed (lockout) before the 403. */
  async function withReauthentication<T>(
    actor: MfaActor,
    password: string,
    work: (tx: DbClient, user: UserRecord) => Promise<Outcome<T>>,
  ): Promise<T> {
    const outcome = await withTransaction(deps.db, async (tx): Promise<Outcome<T>> => {
      const user = await lockedUser(tx, actor.userId);
      if (!user.mfaEnabled) throw conflict('auth.mfa_not_enabled', 'MFA is not enabled.');
      const result = (await passwordMatches(user, password))
        ? await work(tx, user)
        : { ok: false as const };
      if (!result.ok) await recordReauthFailure(tx, user, actor);
      return result;
    });
    if (!outcome.ok) throw reauthenticationFailed();
    return outcome.value;
  }

  return {
    async status(userId: string): Promise<MfaStatus> {
      const user = await deps.users.findById(deps.db, userId);
      if (!user) throw invalidAccessToken();
      return {
        enabled: user.mfaEnabled,
        required: mfaRequiredFor(user.role, deps.requiredRoles),
        recoveryCodesRemaining: user.mfaEnabled
          ? await countUnusedRecoveryCodes(deps.db, userId)
          : 0,
      };
    },

    /** Starts (or restarts) enrolment. The secret is shown now and never again. */
    async setup(actor: MfaActor): Promise<{ secret: string; otpauthUrl: string }> {
      return withTransaction(deps.db, async (tx) => {
        const user = await lockedUser(tx, actor.userId);
        if (user.mfaEnabled)
          throw conflict('auth.mfa_already_enabled', 'MFA is already enabled; disable it first.');
        const secret = newTotpSecret();
        await setPendingTotpSecret(tx, user.id, deps.sealer.seal(secret));
        return { secret, otpauthUrl: otpauthUrl(secret, user.email) };
      });
    },

    /** A code from the pending secret proves the app has it; returns the recovery codes, once. */
    async enable(actor: MfaActor, code: string): Promise<{ recoveryCodes: string[] }> {
      return withTransaction(deps.db, async (tx) => {
        const user = await lockedUser(tx, actor.userId);
        if (user.mfaEnabled) throw conflict('auth.mfa_already_enabled', 'MFA is already enabled.');
        if (!user.mfaPendingSecretEnc)
          throw conflict('auth.mfa_setup_required', 'Start with the TOTP setup.');
        const step = await verifyTotp(deps.sealer.open(user.mfaPendingSecretEnc), code, null);
        if (step === undefined) throw badRequest('auth.invalid_mfa_code', 'The code is not valid.');
        await activatePendingTotpSecret(tx, user.id, step);
        const recoveryCodes = newRecoveryCodes();
        await replaceRecoveryCodes(tx, user.id, hashedCodes(user.id, recoveryCodes));
        const sessionsRevoked = await revokeAllSessions(
          tx,
          user.id,
          'mfa_changed',
          actor.sessionId,
        );
        await appendEvent(tx, {
          type: 'user.mfa_enabled',
          aggregateId: user.id,
          actorId: user.id,
          requestId: actor.requestId,
          ip: actor.ip,
          data: { userId: user.id, method: 'totp', sessionsRevoked },
        });
        return { recoveryCodes };
      });
    },

    /** Needs the password and a TOTP or recovery code; removes the secret and every code. */
    async disable(actor: MfaActor, password: string, code: string): Promise<void> {
      await withReauthentication(actor, password, async (tx, user) => {
        const factor: SecondFactor | undefined = await deps.spendSecondFactor(tx, user, code);
        if (!factor) return { ok: false };
        await clearMfa(tx, user.id);
        await deleteRecoveryCodes(tx, user.id);
        const sessionsRevoked = await revokeAllSessions(
          tx,
          user.id,
          'mfa_changed',
          actor.sessionId,
        );
        await appendEvent(tx, {
          type: 'user.mfa_disabled',
          aggregateId: user.id,
          actorId: user.id,
          requestId: actor.requestId,
          ip: actor.ip,
          data: { userId: user.id, factor, sessionsRevoked },
        });
        return { ok: true, value: undefined };
      });
    },

    /** Needs the password; a new set of codes replaces the old one entirely. */
    async regenerateRecoveryCodes(
      actor: MfaActor,
      password: string,
    ): Promise<{ recoveryCodes: string[] }> {
      return withReauthentication(actor, password, async (tx, user) => {
        const recoveryCodes = newRecoveryCodes();
        await replaceRecoveryCodes(tx, user.id, hashedCodes(user.id, recoveryCodes));
        await appendEvent(tx, {
          type: 'user.mfa_recovery_codes_regenerated',
          aggregateId: user.id,
          actorId: user.id,
          requestId: actor.requestId,
          ip: actor.ip,
          data: { userId: user.id, count: recoveryCodes.length },
        });
        return { ok: true, value: { recoveryCodes } };
      });
    },
  };
}

export type MfaEnrolment = ReturnType<typeof createMfaEnrolment>;
