import { invalidAccessToken } from '@ums/service-kit/bearer';
import { badRequest, conflict } from '@ums/service-kit/errors';
import { withTransaction, type Queryable } from '../data/db.ts';
import {
  consumeOneTimeToken,
  insertOneTimeToken,
  invalidateOneTimeTokens,
} from '../data/one-time-tokens.ts';
import { appendEvent } from '../data/outbox.ts';
import { markEmailVerified } from '../data/user-credentials.ts';
import type { UserRecord } from '../data/users-repository.ts';
import { tokenLink, type AccountDeps, type ClientContext } from './account-deps.ts';
import { verificationMail } from './account-mails.ts';
import { hashToken, randomToken } from './crypto.ts';
import { accountKey, enforce, throttleRules } from './throttle.ts';

/** A fresh verification token (256 bits, stored hashed); older ones stop working. */
export async function createVerificationToken(
  tx: Queryable,
  userId: string,
  ttlSeconds: number,
): Promise<string> {
  await invalidateOneTimeTokens(tx, userId, 'verify_email');
  const token = randomToken();
  await insertOneTimeToken(tx, {
    userId,
    purpose: 'verify_email',
    tokenHash: hashToken(token),
    ttlSeconds,
  });
  return token;
}

export function sendVerificationMail(deps: AccountDeps, email: string, token: string): void {
  deps.mailer.sendLater(
    verificationMail(
      email,
      tokenLink(deps.publicBaseUrl, 'verify-email', token),
      deps.oneTimeTokenTtl,
    ),
  );
}

/** Uses a verification token (once, before it expires) and marks the address verified. */
export async function verifyEmail(
  deps: AccountDeps,
  token: string,
  ctx: ClientContext,
): Promise<void> {
  await enforce(deps.throttle, throttleRules.tokenPerAddress, ctx.ip, 'auth.too_many_requests');
  await withTransaction(deps.db, async (tx) => {
    const used = await consumeOneTimeToken(tx, 'verify_email', hashToken(token));
    if (!used)
      throw badRequest(
        'auth.invalid_verification_token',
        'This verification link is invalid, used or expired.',
      );
    const user = await deps.users.findById(tx, used.userId);
    if (!user)
      throw badRequest(
        'auth.invalid_verification_token',
        'This verification link is invalid, used or expired.',
      );
    await recordVerified(tx, user, ctx, 'link');
  });
}

/**
 * Marks the address verified inside the caller's transaction, with `user.email_verified` when it
 * was not yet: by the verification link, or by a password reset (its link proves the mailbox too).
 */
export async function recordVerified(
  tx: Queryable,
  user: Pick<UserRecord, 'id' | 'email'>,
  ctx: ClientContext,
  method: 'link' | 'password_reset',
): Promise<void> {
  if (!(await markEmailVerified(tx, user.id))) return;
  await appendEvent(tx, {
    type: 'user.email_verified',
    aggregateId: user.id,
    actorId: user.id,
    requestId: ctx.requestId,
    ip: ctx.ip,
    data: { email: user.email, ...(method === 'link' ? {} : { method }) },
  });
}

/** A new verification email for the signed-in user (throttled; 409 once verified). */
export async function resendVerification(deps: AccountDeps, userId: string): Promise<void> {
  const user = await deps.users.findById(deps.db, userId);
  if (!user) throw invalidAccessToken();
  if (user.emailVerified)
    throw conflict('auth.email_already_verified', 'This email address is already verified.');
  await enforce(
    deps.throttle,
    throttleRules.verificationResendPerUser,
    accountKey(user.id),
    'auth.too_many_requests',
  );
  const token = await withTransaction(deps.db, (tx) =>
    createVerificationToken(tx, user.id, deps.oneTimeTokenTtl),
  );
  sendVerificationMail(deps, user.email, token);
}

/**
 * After an unverified account's correct password (sign-in refused): a new link, unless three
 * went out this hour. Never throws to the caller and answers nothing (it runs after the reply).
 */
export async function remindToVerify(deps: AccountDeps, user: UserRecord): Promise<void> {
  const budget = await deps.throttle.consume(
    throttleRules.verificationResendPerUser,
    accountKey(user.id),
  );
  if (!budget.allowed) return;
  const token = await withTransaction(deps.db, (tx) =>
    createVerificationToken(tx, user.id, deps.oneTimeTokenTtl),
  );
  sendVerificationMail(deps, user.email, token);
}
