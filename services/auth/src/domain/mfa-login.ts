import { unauthorized } from '@ums/service-kit/errors';
import { withTransaction, type Db, type DbClient } from '../data/db.ts';
import { isMfaTokenSpent, spendMfaToken } from '../data/mfa-state.ts';
import { appendEvent } from '../data/outbox.ts';
import { countUnusedRecoveryCodes } from '../data/recovery-codes.ts';
import type { UserRecord, UsersRepository } from '../data/users-repository.ts';
import type { BusinessMetrics } from './business-metrics.ts';
import {
  isLocked,
  recordFailedAttempt,
  recordSuccessfulLogin,
  type LockoutPolicy,
} from './lockout.ts';
import { factorOfCode, type SpendSecondFactor } from './mfa.ts';
import type { SessionIssuer, TokenPair } from './sessions.ts';
import type { TokenSigner } from './tokens.ts';

export interface MfaLoginClient {
  ip: string;
  userAgent: string | undefined;
  requestId: string;
}

type Outcome =
  | { kind: 'signed_in'; pair: TokenPair; user: UserRecord }
  | { kind: 'invalid_token' }
  | { kind: 'invalid_code' };

const invalidToken = () =>
  unauthorized('auth.invalid_mfa_token', 'The sign-in has expired or is not valid: sign in again.');
const invalidCode = () => unauthorized('auth.invalid_mfa_code', 'The code is not valid.');

/**
 * The second step of a sign-in: an mfaToken from the password step plus a TOTP or recovery code.
 * Wrong codes count toward the account lockout; a locked account gets the same answer whatever
 * the code. Everything for one user happens under that user's row lock, so two requests cannot
 * spend one code, one TOTP step or one mfaToken twice.
 */
export function createMfaLogin(deps: {
  db: Db;
  users: UsersRepository;
  signer: TokenSigner;
  sessions: SessionIssuer;
  spendSecondFactor: SpendSecondFactor;
  lockoutPolicy: LockoutPolicy;
  mfaTokenTtl: number;
  business: BusinessMetrics;
}) {
  async function fail(
    tx: DbClient,
    user: UserRecord,
    client: MfaLoginClient,
    wasLocked: boolean,
  ): Promise<Outcome> {
    const { locked, lockedUntil } = await recordFailedAttempt(tx, user.id, deps.lockoutPolicy);
    deps.business.logins.inc({ result: wasLocked ? 'locked' : 'failure' });
    const audit = {
      aggregateId: user.id,
      actorId: user.id,
      requestId: client.requestId,
      ip: client.ip,
    };
    await appendEvent(tx, {
      type: 'auth.login_failed',
      ...audit,
      data: { method: 'mfa', reason: wasLocked ? 'locked' : 'invalid_code' },
    });
    if (locked) {
      deps.business.lockouts.inc();
      await appendEvent(tx, {
        type: 'auth.locked',
        ...audit,
        data: { reason: 'mfa_failures', lockedUntil: lockedUntil?.toISOString() ?? null },
      });
    }
    return { kind: 'invalid_code' };
  }

  async function succeed(
    tx: DbClient,
    user: UserRecord,
    jti: string,
    factor: string,
    client: MfaLoginClient,
  ): Promise<Outcome> {
    // Checked before under the row lock already; throwing here rolls back the spent code too.
    if (!(await spendMfaToken(tx, jti, user.id, deps.mfaTokenTtl))) throw invalidToken();
    await recordSuccessfulLogin(tx, user.id);
    const pair = await deps.sessions.issue(tx, user, {
      ip: client.ip,
      userAgent: client.userAgent,
    });
    const data: Record<string, unknown> = { method: 'mfa', factor, sessionId: pair.sessionId };
    if (factor === 'recovery_code')
      data.recoveryCodesRemaining = await countUnusedRecoveryCodes(tx, user.id);
    await appendEvent(tx, {
      type: 'auth.login_succeeded',
      aggregateId: user.id,
      actorId: user.id,
      requestId: client.requestId,
      ip: client.ip,
      data,
    });
    deps.business.logins.inc({ result: 'success' });
    return { kind: 'signed_in', pair, user: (await deps.users.findById(tx, user.id)) ?? user };
  }

  return {
    async complete(
      mfaToken: string,
      code: string | undefined,
      client: MfaLoginClient,
    ): Promise<{ pair: TokenPair; user: UserRecord }> {
      const claims = await deps.signer.verifyMfaToken(mfaToken);
      if (!claims) throw invalidToken();
      const outcome = await withTransaction(deps.db, async (tx): Promise<Outcome> => {
        const user = await deps.users.findById(tx, claims.userId, true);
        // MFA turned off, account suspended or deleted since the password step: start again.
        if (
          !user ||
          user.status !== 'active' ||
          !user.mfaEnabled ||
          (await isMfaTokenSpent(tx, claims.jti))
        ) {
          return { kind: 'invalid_token' };
        }
        if (isLocked(user)) return fail(tx, user, client, true);
        const factor =
          code === undefined ? undefined : await deps.spendSecondFactor(tx, user, code);
        // A missing code fails the TOTP prompt the client was shown. Locked accounts check no
        // code at all, so they are not counted here.
        deps.business.mfaVerifications.inc({
          method: factor ?? (code === undefined ? 'totp' : factorOfCode(code)),
          result: factor ? 'success' : 'failure',
        });
        if (!factor) return fail(tx, user, client, false);
        return succeed(tx, user, claims.jti, factor, client);
      });
      if (outcome.kind === 'invalid_token') throw invalidToken();
      if (outcome.kind === 'invalid_code') throw invalidCode();
      return { pair: outcome.pair, user: outcome.user };
    },
  };
}

export type MfaLogin = ReturnType<typeof createMfaLogin>;
