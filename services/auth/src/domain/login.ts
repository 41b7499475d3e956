import { unauthorized } from '@ums/service-kit/errors';
import { withTransaction } from '../data/db.ts';
import { appendEvent } from '../data/outbox.ts';
import { setPasswordHash } from '../data/user-credentials.ts';
import { normalizeEmail, type UserRecord } from '../data/users-repository.ts';
import type { AccountDeps, ClientContext } from './account-deps.ts';
import { remindToVerify } from './email-verification.ts';
import { isLocked, recordFailedAttempt } from './lockout.ts';
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from './passwords.ts';
import type { TokenPair } from './sessions.ts';
import { accountKey, throttleRules, type ThrottleOutcome } from './throttle.ts';

export type LoginResult =
  { kind: 'tokens'; pair: TokenPair; user: UserRecord } | { kind: 'mfa'; mfaToken: string };

type Refusal =
  | 'unknown_user'
  | 'locked'
  | 'missing_password'
  | 'no_password'
  | 'bad_password'
  | 'suspended'
  | 'inactive'
  | 'unverified';

/** The one answer for every refused sign-in: no oracle for existence, lock or status. */
export const invalidCredentials = () =>
  unauthorized('auth.invalid_credentials', 'The email or password is incorrect.');

/**
 * Password sign-in. Every refusal (unknown email, wrong or missing password, locked, suspended,
 * inactive, email not verified yet) gives the same 401 after the same work: one argon2
 * verification, against a dummy hash when there is no real one. Users with MFA get an `mfaToken`
 * for `login/mfa` instead of tokens; their failure count is cleared only once the second factor
 * succeeds there.
 *
 * An unverified address cannot sign in, even with the right password: otherwise registering an
 * address and signing in with the password just chosen tells whether it already had an account
 * (the old account refuses that password, a new one accepted it). Its owner gets a new
 * verification link instead, mailed after the answer (throttled).
 */
export async function login(
  deps: AccountDeps,
  input: { email: string; password?: string | undefined },
  ctx: ClientContext,
): Promise<LoginResult> {
  const email = normalizeEmail(input.email);
  const accountFailures = await assertNotThrottled(deps, email, ctx.ip);

  const found = await deps.users.findByEmailWithPermissions(deps.db, email);
  const user = found?.user;
  const password = input.password ?? '';
  const verified = await verifyPassword(
    user?.passwordHash ?? (await dummyPasswordHash()),
    password,
  );
  const refusal = refusalOf(user, password.length > 0, verified && Boolean(user?.passwordHash));
  if (refusal || !user?.passwordHash) {
    await recordRefusal(deps, email, user, refusal ?? 'no_password', ctx);
    if (refusal === 'unverified' && user)
      deps.later.run('verification-reminder', () => remindToVerify(deps, user));
    throw invalidCredentials();
  }
  const account = { ...user, permissions: found?.permissions ?? [] };
  const newHash = needsRehash(user.passwordHash) ? await hashPassword(password) : undefined;

  if (account.mfaEnabled) {
    if (newHash)
      await setPasswordHash(deps.db, account.id, newHash, { changed: false, clearLockout: false });
    deps.business.logins.inc({ result: 'mfa_required' });
    return { kind: 'mfa', mfaToken: await deps.signer.signMfaToken(account.id) };
  }

  // Not for MFA users above: the password step alone must not refill the account's budget.
  // Nothing to clear when the check before found no failures counted (the usual sign-in).
  if (accountFailures.consumed !== 0)
    await deps.throttle.reset(throttleRules.loginFailuresPerAccount, accountKey(email));
  const signedIn = await deps.sessions.signInWithPassword(
    deps.db,
    account,
    { ip: ctx.ip, userAgent: ctx.userAgent, requestId: ctx.requestId },
    { newPasswordHash: newHash },
  );
  // Deleted between the password check and now: nothing was written.
  if (!signedIn) throw invalidCredentials();
  deps.business.logins.inc({ result: 'success' });
  return { kind: 'tokens', pair: signedIn.pair, user: signedIn.user };
}

/**
 * Per-address request budget, then the failure budgets of the address and the account, judged in
 * that order. The two checks only read, so all three go to Redis at once. Returns the account's
 * failure budget as read.
 */
async function assertNotThrottled(
  deps: AccountDeps,
  email: string,
  ip: string,
): Promise<ThrottleOutcome> {
  const outcomes = await Promise.all([
    deps.throttle.consume(throttleRules.loginPerAddress, ip),
    deps.throttle.check(throttleRules.loginFailuresPerAddress, ip),
    deps.throttle.check(throttleRules.loginFailuresPerAccount, accountKey(email)),
  ]);
  for (const outcome of outcomes) {
    if (!outcome.allowed) {
      deps.business.logins.inc({ result: 'throttled' });
      throw deps.throttle.refuse(outcome);
    }
  }
  return outcomes[2];
}

function refusalOf(
  user: UserRecord | undefined,
  passwordGiven: boolean,
  passwordOk: boolean,
): Refusal | undefined {
  if (!user) return 'unknown_user';
  // A locked account refuses even the right password, with the same answer as a wrong one.
  if (isLocked(user)) return 'locked';
  if (!passwordGiven) return 'missing_password';
  if (!passwordOk) return user.passwordHash === null ? 'no_password' : 'bad_password';
  if (user.status !== 'active') return user.status;
  if (!user.emailVerified) return 'unverified';
  return undefined;
}

/** Counts the failure (Redis budgets; PostgreSQL lockout for password failures) and records events. */
async function recordRefusal(
  deps: AccountDeps,
  email: string,
  user: UserRecord | undefined,
  refusal: Refusal,
  ctx: ClientContext,
  method: PasswordCheck | 'password' = 'password',
): Promise<void> {
  await deps.throttle.recordFailure(throttleRules.loginFailuresPerAddress, ctx.ip);
  await deps.throttle.recordFailure(throttleRules.loginFailuresPerAccount, accountKey(email));
  if (method === 'password')
    deps.business.logins.inc({ result: refusal === 'locked' ? 'locked' : 'failure' });
  deps.logger.info(
    { userId: user?.id ?? null, reason: refusal, requestId: ctx.requestId },
    'sign-in refused',
  );
  if (!user) return;
  // The budgets above count every refusal alike (a refusal they skipped would be an oracle);
  // the lockout only wrong passwords, so the owner of a new account is not locked out by trying
  // to sign in before opening the verification link.
  const countsTowardLockout =
    refusal !== 'suspended' && refusal !== 'inactive' && refusal !== 'unverified';
  const reason = refusal === 'no_password' ? 'bad_password' : refusal;
  await withTransaction(deps.db, async (tx) => {
    const lock = countsTowardLockout
      ? await recordFailedAttempt(tx, user.id, deps.lockoutPolicy)
      : undefined;
    const event = { aggregateId: user.id, actorId: user.id, requestId: ctx.requestId, ip: ctx.ip };
    await appendEvent(tx, { ...event, type: 'auth.login_failed', data: { reason, method } });
    if (lock?.locked) {
      await appendEvent(tx, {
        ...event,
        type: 'auth.locked',
        data: { lockedUntil: lock.lockedUntil?.toISOString() ?? null },
      });
      deps.business.lockouts.inc();
    }
  });
}

/** Flows that check the password of a signed-in user outside sign-in; `auth.login_failed` names them. */
export type PasswordCheck = 'password_change' | 'account_deletion';

/** For flows that check a password outside sign-in: same counting as a failed sign-in. */
export async function recordPasswordFailure(
  deps: AccountDeps,
  user: UserRecord,
  ctx: ClientContext,
  method: PasswordCheck = 'password_change',
): Promise<void> {
  await recordRefusal(
    deps,
    normalizeEmail(user.email),
    user,
    isLocked(user) ? 'locked' : 'bad_password',
    ctx,
    method,
  );
}
