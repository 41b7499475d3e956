import { invalidAccessToken } from '@ums/service-kit/bearer';
import { badRequest } from '@ums/service-kit/errors';
import { withTransaction } from '../data/db.ts';
import {
  consumeOneTimeToken,
  findLiveOneTimeToken,
  insertOneTimeToken,
  invalidateOneTimeTokens,
} from '../data/one-time-tokens.ts';
import { appendEvent } from '../data/outbox.ts';
import { clearFailedAttempts, setPasswordHash } from '../data/user-credentials.ts';
import { normalizeEmail } from '../data/users-repository.ts';
import {
  enforcePasswordPolicy,
  tokenLink,
  type AccountDeps,
  type ClientContext,
} from './account-deps.ts';
import { pageUrl, passwordChangedMail, passwordResetMail } from './account-mails.ts';
import { hashToken, randomToken } from './crypto.ts';
import { recordVerified } from './email-verification.ts';
import { isLocked } from './lockout.ts';
import { recordPasswordFailure } from './login.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords.ts';
import { revokeAllSessions } from './session-revocation.ts';
import { accountKey, enforce, throttleRules } from './throttle.ts';

const invalidCurrentPassword = () =>
  badRequest('auth.invalid_current_password', 'The current password is incorrect.');
const invalidResetToken = () =>
  badRequest('auth.invalid_reset_token', 'This reset link is invalid, used or expired.');

/**
 * Changes the signed-in user's password. A wrong current password counts like a failed sign-in
 * (lockout and per-account budget), and a locked account cannot change it either. Every other
 * session is revoked; the one making the change stays signed in.
 */
export async function changePassword(
  deps: AccountDeps,
  principal: { userId: string; sessionId: string },
  input: { currentPassword: string; newPassword: string },
  ctx: ClientContext,
): Promise<{ sessionsRevoked: number }> {
  const user = await deps.users.findById(deps.db, principal.userId);
  if (!user) throw invalidAccessToken();
  const key = accountKey(normalizeEmail(user.email));
  const budget = await deps.throttle.check(throttleRules.loginFailuresPerAccount, key);
  if (!budget.allowed) throw deps.throttle.refuse(budget);
  enforcePasswordPolicy(input.newPassword, user.email, deps.passwordPolicy, 'newPassword');

  const verified = await verifyPassword(
    user.passwordHash ?? (await dummyPasswordHash()),
    input.currentPassword,
  );
  if (!verified || user.passwordHash === null || isLocked(user)) {
    await recordPasswordFailure(deps, user, ctx);
    throw invalidCurrentPassword();
  }
  const passwordHash = await hashPassword(input.newPassword);
  const sessionsRevoked = await withTransaction(deps.db, async (tx) => {
    await setPasswordHash(tx, user.id, passwordHash, { changed: true, clearLockout: false });
    await clearFailedAttempts(tx, user.id);
    // An outstanding reset link must not undo the change.
    await invalidateOneTimeTokens(tx, user.id, 'reset_password');
    const revoked = await revokeAllSessions(tx, user.id, 'password_changed', principal.sessionId);
    await appendEvent(tx, {
      type: 'user.password_changed',
      aggregateId: user.id,
      actorId: user.id,
      requestId: ctx.requestId,
      ip: ctx.ip,
      data: { method: 'change', sessionsRevoked: revoked },
    });
    return revoked;
  });
  await deps.throttle.reset(throttleRules.loginFailuresPerAccount, key);
  deps.mailer.sendLater(
    passwordChangedMail(user.email, 'change', pageUrl(deps.publicBaseUrl, 'forgot-password')),
  );
  return { sessionsRevoked };
}

/**
 * Starts a password reset. The caller always gets the same answer: the lookup happens for every
 * request, and the token and mail for a real, active account are made after the reply, so
 * neither the body nor the timing says whether the address has an account.
 */
export async function requestPasswordReset(
  deps: AccountDeps,
  rawEmail: string,
  ctx: ClientContext,
): Promise<void> {
  await enforce(deps.throttle, throttleRules.recoveryPerAddress, ctx.ip, 'auth.too_many_requests');
  const email = normalizeEmail(rawEmail);
  // Counted for every address, known or not, so the count reveals nothing either.
  const mailBudget = await deps.throttle.consume(throttleRules.mailPerAccount, accountKey(email));
  const user = await deps.users.findByEmail(deps.db, email);
  if (!user || user.status !== 'active' || !mailBudget.allowed) return;

  deps.later.run('password-reset-mail', async () => {
    const token = randomToken();
    await withTransaction(deps.db, async (tx) => {
      // Only the newest link works.
      await invalidateOneTimeTokens(tx, user.id, 'reset_password');
      await insertOneTimeToken(tx, {
        userId: user.id,
        purpose: 'reset_password',
        tokenHash: hashToken(token),
        ttlSeconds: deps.oneTimeTokenTtl,
      });
      await appendEvent(tx, {
        type: 'auth.password_reset_requested',
        aggregateId: user.id,
        actorId: null,
        requestId: ctx.requestId,
        ip: ctx.ip,
        data: {},
      });
    });
    await deps.mailer.send(
      passwordResetMail(
        user.email,
        tokenLink(deps.publicBaseUrl, 'reset-password', token),
        deps.oneTimeTokenTtl,
      ),
    );
  });
}

/**
 * Completes a reset: the token works once and only before it expires; a new password that fails
 * the policy leaves the token usable. Every session is revoked, the lock is cleared and the
 * address counts as verified (the mailbox owner proved control), MFA stays as it was, and the
 * user is told by email.
 */
export async function resetPassword(
  deps: AccountDeps,
  input: { token: string; newPassword: string },
  ctx: ClientContext,
): Promise<void> {
  await enforce(deps.throttle, throttleRules.tokenPerAddress, ctx.ip, 'auth.too_many_requests');
  const tokenHash = hashToken(input.token);
  const live = await findLiveOneTimeToken(deps.db, 'reset_password', tokenHash);
  const user = live && (await deps.users.findById(deps.db, live.userId));
  if (!user || user.status !== 'active') throw invalidResetToken();
  enforcePasswordPolicy(input.newPassword, user.email, deps.passwordPolicy, 'newPassword');
  const passwordHash = await hashPassword(input.newPassword);

  await withTransaction(deps.db, async (tx) => {
    // The atomic use decides between two concurrent resets with one token.
    if (!(await consumeOneTimeToken(tx, 'reset_password', tokenHash))) throw invalidResetToken();
    await setPasswordHash(tx, user.id, passwordHash, { changed: true, clearLockout: true });
    await invalidateOneTimeTokens(tx, user.id, 'reset_password');
    // The link went to the address, so it is proven too: an unverified account can sign in now.
    await recordVerified(tx, user, ctx, 'password_reset');
    const revoked = await revokeAllSessions(tx, user.id, 'password_reset');
    await appendEvent(tx, {
      type: 'user.password_changed',
      aggregateId: user.id,
      actorId: user.id,
      requestId: ctx.requestId,
      ip: ctx.ip,
      data: { method: 'reset', sessionsRevoked: revoked },
    });
  });
  await deps.throttle.reset(
    throttleRules.loginFailuresPerAccount,
    accountKey(normalizeEmail(user.email)),
  );
  deps.mailer.sendLater(
    passwordChangedMail(user.email, 'reset', pageUrl(deps.publicBaseUrl, 'forgot-password')),
  );
}
