// Helpers for the account-flow tests (registration, sign-in, password and email flows).
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import request from 'supertest';
import type { Response } from 'supertest';
import { hashPassword } from '../domain/passwords.ts';
import { readOutbox, waitForMail, type StoredMail } from '../domain/mailer.ts';
import type { UserRecord } from '../data/users-repository.ts';
import type { TestAuth } from './harness.ts';

/**
 * Tests run behind a "proxy" on loopback, so each test can speak from its own client address
 * (X-Forwarded-For) and per-address budgets of one test do not leak into the next.
 */
export const behindProxy = { TRUSTED_PROXIES: '127.0.0.1,::1' };

let ipCounter = 0;
/** A fresh client address (TEST-NET-2 / 198.51.100.0/24 and neighbours), unique within the process. */
export function nextIp(): string {
  ipCounter += 1;
  return `198.51.${100 + Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`;
}

/** A unique email on the reserved example domain. */
export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}.${randomBytes(5).toString('hex')}@example.com`;
}

/** A strong, unique password (never on a blocklist, never containing the email). */
export function strongPassword(): string {
  return `Tangerine-Harbor-${randomBytes(6).toString('hex')}`;
}

export interface CallOptions {
  ip?: string;
  token?: string;
  headers?: Record<string, string>;
}

export function post(t: TestAuth, path: string, body?: unknown, options: CallOptions = {}) {
  let req = request(t.app)
    .post(path)
    .set('X-Forwarded-For', options.ip ?? nextIp());
  if (options.token) req = req.set('Authorization', `Bearer ${options.token}`);
  for (const [k, v] of Object.entries(options.headers ?? {})) req = req.set(k, v);
  return body === undefined ? req : req.send(body as object);
}

export function get(t: TestAuth, path: string, options: CallOptions = {}) {
  let req = request(t.app)
    .get(path)
    .set('X-Forwarded-For', options.ip ?? nextIp());
  if (options.token) req = req.set('Authorization', `Bearer ${options.token}`);
  return req;
}

/** A user inserted directly (no throttles, no mail), with an argon2id hash of `password`. */
export async function createUser(
  t: TestAuth,
  options: {
    email?: string;
    password?: string;
    role?: string;
    emailVerified?: boolean;
    passwordHash?: string | null;
  } = {},
): Promise<{ user: UserRecord; email: string; password: string }> {
  const email = options.email ?? uniqueEmail();
  const password = options.password ?? strongPassword();
  const passwordHash =
    options.passwordHash === undefined ? await hashPassword(password) : options.passwordHash;
  const user = await t.container.users.insert(t.container.db, {
    email,
    passwordHash,
    role: options.role ?? 'user',
    emailVerified: options.emailVerified ?? true,
  });
  return { user, email, password };
}

export async function login(
  t: TestAuth,
  email: string,
  password: string | undefined,
  options: CallOptions = {},
): Promise<Response> {
  return post(
    t,
    '/api/v1/auth/login',
    password === undefined ? { email } : { email, password },
    options,
  );
}

/** Signs in as an API client (refresh token in the body) and returns both tokens. */
export async function signIn(
  t: TestAuth,
  email: string,
  password: string,
): Promise<{ accessToken: string; refreshToken: string }> {
  const res = await post(t, '/api/v1/auth/login', {
    email,
    password,
    refreshTokenDelivery: 'body',
  });
  if (res.status !== 200 || !res.body.accessToken)
    throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { accessToken: res.body.accessToken, refreshToken: res.body.refreshToken };
}

/**
 * Registers through the API and opens the mailed verification link, as a person does before
 * they can sign in; returns the registration's answer.
 */
export async function registerVerified(
  t: TestAuth,
  email: string,
  password: string,
): Promise<Response> {
  const seen = new Set((await readOutbox(t.config.MAIL_OUTBOX_DIR, email)).map((m) => m.id));
  const res = await post(t, '/api/v1/auth/register', { email, password });
  if (res.status !== 201) return res;
  const mail = await mailTo(t, email, /Confirm your email address/, (m) => !seen.has(m.id));
  const verified = await post(t, '/api/v1/auth/email/verify', {
    token: tokenFromLink(mail.links.verifyEmail),
  });
  if (verified.status !== 200) throw new Error(`verification failed: ${verified.status}`);
  return res;
}

/** Waits for mail work done after replies (reset links, notices) to finish. */
export async function flushMail(t: TestAuth): Promise<void> {
  const deps = t.container.account;
  await deps.later.flush();
  await deps.mailer.flush();
}

/** The latest mail to `to` whose subject matches, waiting for background delivery. */
export function mailTo(
  t: TestAuth,
  to: string,
  subject: RegExp,
  accept: (m: StoredMail) => boolean = () => true,
): Promise<StoredMail> {
  return waitForMail(t.config.MAIL_OUTBOX_DIR, to, (m) => subject.test(m.subject) && accept(m));
}

/** The token carried in an emailed link (`.../page#token=...`). */
export function tokenFromLink(link: string | undefined): string {
  const token = new URLSearchParams(new URL(link ?? 'http://invalid').hash.slice(1)).get('token');
  if (!token) throw new Error(`no token in link ${link}`);
  return token;
}

/** The outbox events of one type for one user, oldest first. */
export async function eventsOf(
  t: TestAuth,
  type: string,
  userId: string,
): Promise<
  {
    actorId: string | null;
    requestId: string | null;
    ip: string | null;
    data: Record<string, unknown>;
  }[]
> {
  const { rows } = await t.container.db.query<{
    payload: {
      actorId: string | null;
      requestId: string | null;
      ip: string | null;
      data: Record<string, unknown>;
    };
  }>('SELECT payload FROM outbox WHERE type = $1 AND aggregate_id = $2 ORDER BY id', [
    type,
    userId,
  ]);
  return rows.map((r) => r.payload);
}

/** Every token carried by a link in any message of the test's outbox. */
export async function allMailedTokens(t: TestAuth): Promise<string[]> {
  const mails = await readOutbox(t.config.MAIL_OUTBOX_DIR);
  return mails
    .flatMap((m) => Object.values(m.links))
    .flatMap((link) => (link.includes('#token=') ? [tokenFromLink(link)] : []));
}

/** Log lines that contain any of the secrets (should be none). */
export function linesContaining(t: TestAuth, secrets: readonly string[]): string[] {
  const wanted = secrets.filter((s) => s.length >= 8);
  return t.logs
    .lines()
    .filter((line) =>
      wanted.some((s) => line.includes(s) || line.includes(JSON.stringify(s).slice(1, -1))),
    );
}

/** The value of a Prometheus counter from /metrics; `label` (e.g. `result="success"`) picks one series. */
export async function counterValue(t: TestAuth, name: string, label?: string): Promise<number> {
  const res = await request(t.app).get('/metrics');
  const line = res.text
    .split('\n')
    .find(
      (l) =>
        (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) &&
        (label === undefined || l.includes(label)),
    );
  return line ? Number(line.split(' ').pop()) : 0;
}

/** The first element, failing the test when there is none (instead of a non-null assertion). */
export function first<T>(items: readonly T[]): T {
  const item = items[0];
  if (item === undefined) throw new Error('expected at least one item');
  return item;
}

/** The middle value of a sample. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Closes the test service (pending mail is delivered first) and removes its outbox folder. */
export async function closeTestAuth(t: TestAuth | undefined): Promise<void> {
  if (!t) return;
  await t.close();
  await rm(resolve(t.config.MAIL_OUTBOX_DIR), { recursive: true, force: true });
}
