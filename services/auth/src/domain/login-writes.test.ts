import { jest } from '@jest/globals';
import bcrypt from 'bcryptjs';
import { decodeJwt } from 'jose';
import { publicUser } from '../data/users-repository.ts';
import {
  behindProxy,
  closeTestAuth,
  createUser,
  eventsOf,
  first,
  login,
  nextIp,
  strongPassword,
} from '../test/auth-test-support.ts';
import { createTestAuth, type TestAuth } from '../test/harness.ts';
import { accountKey, throttleRules } from './throttle.ts';

jest.setTimeout(60_000);

// Sign-in reads the user with the role's permissions once and takes the event's user snapshot
// from its own UPDATE: what it writes must be what the separate reads used to give.
describe('what a successful sign-in writes', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth(behindProxy);
  });
  afterAll(async () => closeTestAuth(t));

  it('when a user signs in, then the event snapshot is the stored user and the token carries the current permissions', async () => {
    const { user, email, password } = await createUser(t, { role: 'admin' });
    const res = await login(t, email, password);
    expect(res.status).toBe(200);
    const stored = await t.container.users.findById(t.container.db, user.id);
    if (!stored?.lastLoginAt) throw new Error('lastLoginAt was not recorded');
    const [event] = await eventsOf(t, 'auth.login_succeeded', user.id);
    expect(event?.data).toEqual({
      method: 'password',
      sessionId: decodeJwt(res.body.accessToken).sid,
      rehashed: false,
      user: publicUser(stored),
    });
    expect(res.body.user).toEqual(publicUser(stored));
    const { rows } = await t.container.db.query<{ permissions: string[] }>(
      "SELECT permissions FROM roles WHERE name = 'admin'",
    );
    expect(decodeJwt(res.body.accessToken).permissions).toEqual(first(rows).permissions);
  });

  it('when a migrated hash is replaced at sign-in and the name has quotes and accents, then the snapshot still matches', async () => {
    const password = strongPassword();
    const { user, email } = await createUser(t, { passwordHash: bcrypt.hashSync(password, 4) });
    await t.container.db.query(
      `UPDATE users SET first_name = 'Zoë "Z"', last_name = $2 WHERE id = $1`,
      [user.id, "O'Brien \\ 李"],
    );
    const res = await login(t, email, password);
    expect(res.status).toBe(200);
    const stored = await t.container.users.findById(t.container.db, user.id);
    if (!stored) throw new Error('user vanished');
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    const [event] = await eventsOf(t, 'auth.login_succeeded', user.id);
    expect(event?.data).toMatchObject({ rehashed: true, user: publicUser(stored) });
    expect(event?.data.user).toEqual(publicUser(stored));
  });

  it('when signing the access token fails, then nothing of the sign-in is written', async () => {
    const { user, email, password } = await createUser(t);
    const sign = jest
      .spyOn(t.container.signer, 'signAccessToken')
      .mockRejectedValue(new Error('HSM unavailable'));
    try {
      expect((await login(t, email, password)).status).toBe(500);
    } finally {
      sign.mockRestore();
    }
    const { rows } = await t.container.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1',
      [user.id],
    );
    expect(rows[0]?.n).toBe(0);
    expect(await eventsOf(t, 'auth.login_succeeded', user.id)).toEqual([]);
    expect((await t.container.users.findById(t.container.db, user.id))?.lastLoginAt).toBeNull();
  });

  it('when earlier failures were counted for the account, then a sign-in clears them; with none, nothing is reset', async () => {
    const { throttle } = t.container.account;
    const reset = jest.spyOn(throttle, 'reset');
    try {
      const { email, password } = await createUser(t);
      expect((await login(t, email, password, { ip: nextIp() })).status).toBe(200);
      expect(reset).not.toHaveBeenCalled();

      expect((await login(t, email, strongPassword(), { ip: nextIp() })).status).toBe(401);
      expect((await login(t, email, strongPassword(), { ip: nextIp() })).status).toBe(401);
      const rule = throttleRules.loginFailuresPerAccount;
      expect((await throttle.check(rule, accountKey(email))).consumed).toBe(2);
      expect((await login(t, email, password, { ip: nextIp() })).status).toBe(200);
      expect(reset).toHaveBeenCalledTimes(1);
      expect((await throttle.check(rule, accountKey(email))).consumed).toBe(0);
    } finally {
      reset.mockRestore();
    }
  });
});
