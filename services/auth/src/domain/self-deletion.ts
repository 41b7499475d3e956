import { invalidAccessToken } from '@ums/service-kit/bearer';
import { forbidden } from '@ums/service-kit/errors';
import { normalizeEmail, type UserRecord } from '../data/users-repository.ts';
import type { AccountDeps, ClientContext } from './account-deps.ts';
import type { AccountService } from './accounts.ts';
import { isLocked } from './lockout.ts';
import { recordPasswordFailure } from './login.ts';
import { verifyPassword } from './passwords.ts';
import { accountKey, throttleRules } from './throttle.ts';

/** What proves the caller means it: their password, or their email when the account has none. */
export interface DeletionConfirmation {
  password?: string | undefined;
  confirmEmail?: string | undefined;
}

// The password change's code: the web app already explains a wrong current password with it.
const notConfirmed = () =>
  forbidden(
    'auth.invalid_current_password',
    'Confirm with your current password (or, for an account without one, your email address).',
  );

/** A password account needs its password; one without (OIDC only) needs its email, typed again. */
async function assertConfirmed(
  deps: AccountDeps,
  user: UserRecord,
  confirmation: DeletionConfirmation,
  ctx: ClientContext,
): Promise<string | undefined> {
  if (user.passwordHash === null) {
    const typed = confirmation.confirmEmail;
    if (typed === undefined || normalizeEmail(typed) !== normalizeEmail(user.email))
      throw notConfirmed();
    return undefined;
  }
  const key = accountKey(normalizeEmail(user.email));
  const budget = await deps.throttle.check(throttleRules.loginFailuresPerAccount, key);
  if (!budget.allowed) throw deps.throttle.refuse(budget);
  if (confirmation.password === undefined) throw notConfirmed();
  const verified = await verifyPassword(user.passwordHash, confirmation.password);
  // Like the password change: a wrong password counts toward lockout, and a locked account
  // refuses even the right one, so deletion is no way around the sign-in defences.
  if (!verified || isLocked(user)) {
    await recordPasswordFailure(deps, user, ctx, 'account_deletion');
    throw notConfirmed();
  }
  return key;
}

/**
 * Deletes the caller's own account once they confirm it, exactly as the admin delete does
 * (`user.deleted`, with `initiatedBy: 'self'` and the caller as actor). Only an active account can
 * do this: a suspended user's access token outlives the suspension by a few minutes, and it must
 * not erase the account under investigation.
 */
export async function deleteOwnAccount(
  deps: AccountDeps,
  accounts: Pick<AccountService, 'removeSelf'>,
  userId: string,
  confirmation: DeletionConfirmation,
  ctx: ClientContext,
): Promise<void> {
  const user = await deps.users.findById(deps.db, userId);
  if (!user) throw invalidAccessToken();
  if (user.status !== 'active')
    throw forbidden('account.not_active', 'Only an active account can delete itself.');
  const throttleKey = await assertConfirmed(deps, user, confirmation, ctx);
  await accounts.removeSelf({ userId: user.id, requestId: ctx.requestId, ip: ctx.ip });
  if (throttleKey) await deps.throttle.reset(throttleRules.loginFailuresPerAccount, throttleKey);
  deps.logger.info({ userId: user.id, requestId: ctx.requestId }, 'account deleted by its owner');
}
