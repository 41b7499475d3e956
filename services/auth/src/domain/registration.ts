import { randomUUID } from 'node:crypto';
import { withTransaction } from '../data/db.ts';
import { appendEvent } from '../data/outbox.ts';
import { normalizeEmail, publicUser } from '../data/users-repository.ts';
import { enforcePasswordPolicy, type AccountDeps, type ClientContext } from './account-deps.ts';
import { alreadyRegisteredMail, pageUrl } from './account-mails.ts';
import { createVerificationToken, sendVerificationMail } from './email-verification.ts';
import { hashPassword } from './passwords.ts';
import { DEFAULT_ROLE } from './permissions.ts';
import { accountKey, enforce, throttleRules } from './throttle.ts';

export interface Registration {
  email: string;
  password: string;
  firstName?: string | undefined;
  lastName?: string | undefined;
}

export type PublicUser = ReturnType<typeof publicUser>;

const isUniqueViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';

/**
 * Creates an account (role `user`, email unverified) with its `user.registered` event and a
 * verification token in one transaction, then mails the verification link.
 *
 * An email that already has an account gets the same 201 answer, shaped like a new account,
 * and the owner gets a "you already have an account" message instead: the answer never tells a
 * stranger which addresses are registered (SECURITY-TESTS: no enumeration). The password is
 * hashed before the lookup, so both paths cost the same.
 */
export async function register(
  deps: AccountDeps,
  input: Registration,
  ctx: ClientContext,
): Promise<PublicUser> {
  await enforce(deps.throttle, throttleRules.registerPerAddress, ctx.ip, 'auth.too_many_requests');
  const email = normalizeEmail(input.email);
  enforcePasswordPolicy(input.password, email, deps.passwordPolicy, 'password');
  const passwordHash = await hashPassword(input.password);
  const names = {
    firstName: input.firstName?.trim() || null,
    lastName: input.lastName?.trim() || null,
  };

  let created: { user: PublicUser; token: string } | undefined;
  try {
    created = await withTransaction(deps.db, async (tx) => {
      if (await deps.users.findByEmail(tx, email)) return undefined;
      const user = await deps.users.insert(tx, {
        email,
        passwordHash,
        ...names,
        role: DEFAULT_ROLE,
        emailVerified: false,
      });
      const token = await createVerificationToken(tx, user.id, deps.oneTimeTokenTtl);
      await appendEvent(tx, {
        type: 'user.registered',
        aggregateId: user.id,
        actorId: user.id,
        requestId: ctx.requestId,
        ip: ctx.ip,
        data: { user: publicUser(user), source: 'registration' },
      });
      return { user: publicUser(user), token };
    });
  } catch (error) {
    // Two registrations of one address racing: the loser is a duplicate like any other.
    if (!isUniqueViolation(error)) throw error;
  }

  if (created) {
    deps.business.registrations.inc();
    sendVerificationMail(deps, email, created.token);
    return created.user;
  }
  await noticeExistingAccount(deps, email);
  return lookalikeUser(email, names);
}

async function noticeExistingAccount(deps: AccountDeps, email: string): Promise<void> {
  // Silent when over budget: repeated sign-ups must not flood someone's mailbox.
  const outcome = await deps.throttle.consume(throttleRules.mailPerAccount, accountKey(email));
  if (!outcome.allowed) return;
  deps.mailer.sendLater(
    alreadyRegisteredMail(
      email,
      pageUrl(deps.publicBaseUrl, 'login'),
      pageUrl(deps.publicBaseUrl, 'forgot-password'),
    ),
  );
}

/** What a new account would look like; nothing is stored. */
function lookalikeUser(
  email: string,
  names: { firstName: string | null; lastName: string | null },
): PublicUser {
  return {
    id: randomUUID(),
    email,
    ...names,
    role: DEFAULT_ROLE,
    status: 'active',
    emailVerified: false,
    mfaEnabled: false,
    createdAt: new Date().toISOString(),
    lastLoginAt: null,
  };
}
