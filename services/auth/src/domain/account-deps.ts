import { badRequest } from '@ums/service-kit/errors';
import type { Logger } from '@ums/service-kit/logger';
import type { Db } from '../data/db.ts';
import type { UsersRepository } from '../data/users-repository.ts';
import { pageUrl } from './account-mails.ts';
import type { BusinessMetrics } from './business-metrics.ts';
import type { LockoutPolicy } from './lockout.ts';
import type { Mailer } from './mailer.ts';
import { checkPassword, type PasswordPolicy, type PasswordProblem } from './passwords.ts';
import type { SessionIssuer } from './sessions.ts';
import type { Throttle } from './throttle.ts';
import type { TokenSigner } from './tokens.ts';

/** What the account flows (registration, sign-in, password and email flows) need, wired once. */
export interface AccountDeps {
  db: Db;
  users: UsersRepository;
  sessions: SessionIssuer;
  signer: Pick<TokenSigner, 'signMfaToken'>;
  business: BusinessMetrics;
  lockoutPolicy: LockoutPolicy;
  passwordPolicy: PasswordPolicy;
  throttle: Throttle;
  mailer: Mailer;
  later: Deferred;
  logger: Logger;
  /** Links in emails start here (config), never with the request's Host header. */
  publicBaseUrl: string;
  /** Lifetime of verification and reset tokens, seconds. */
  oneTimeTokenTtl: number;
}

/** Who is asking, for events and session records. */
export interface ClientContext {
  requestId: string;
  ip: string;
  userAgent: string | undefined;
}

/** Work done after the reply, so its duration tells the caller nothing (see forgot-password). */
export interface Deferred {
  run(name: string, work: () => Promise<void>): void;
  flush(): Promise<void>;
}

export function createDeferred(logger: Logger): Deferred {
  const pending = new Set<Promise<void>>();
  return {
    run(name, work) {
      const task: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(work)
        .catch((error: unknown) => logger.warn({ err: error, task: name }, 'deferred task failed'))
        .finally(() => pending.delete(task));
      pending.add(task);
    },
    async flush() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}

const problemDetail = (problem: PasswordProblem, policy: PasswordPolicy): string =>
  ({
    too_short: `Use at least ${policy.minLength} characters.`,
    too_long: `Use at most ${policy.maxLength} characters.`,
    too_common: 'This password is too common; choose another.',
    contains_email: 'The password must not contain your email address.',
  })[problem];

/** Applies the password policy; throws 400 `auth.password_<problem>` listing every problem. */
export function enforcePasswordPolicy(
  password: string,
  email: string,
  policy: PasswordPolicy,
  field: string,
): void {
  const problems = checkPassword(password, email, policy);
  const first = problems[0];
  if (first === undefined) return;
  throw badRequest(`auth.password_${first}`, problemDetail(first, policy), {
    errors: problems.map((p) => ({
      path: field,
      message: problemDetail(p, policy),
      code: `auth.password_${p}`,
    })),
  });
}

/**
 * A link into the web app carrying a one-time token. The token goes in the fragment, which
 * browsers never send to a server, so it stays out of access logs and Referer headers.
 */
export function tokenLink(publicBaseUrl: string, page: string, token: string): string {
  const url = new URL(pageUrl(publicBaseUrl, page));
  url.hash = new URLSearchParams({ token }).toString();
  return url.toString();
}
