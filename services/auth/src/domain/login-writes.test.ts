import { jest } from '@jest/globals';
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
} from '../routes/auth-test-support.ts';
import { accountDeps } from '../routes/auth-routes.ts';
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

  it('when earlier failures were counted for the account, then a sign-in clears them; with none, nothing is reset', async () => {
    const { throttle } = accountDeps(t.container);
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
