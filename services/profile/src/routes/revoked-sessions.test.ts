import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { revocationEntryArgs, revocationStreamOf } from '@ums/service-kit/session-revocations';
import { createTestProfile, eventually, type TestProfile, type TestUser } from '../test/harness.ts';

// The profile service reads the ended sessions the auth service's relay writes (entries made here
// with the same revocationEntryArgs, on the real Redis); auth's own side is ended-sessions.test.ts.
describe('access tokens of ended sessions', () => {
  let t: TestProfile;
  let user: TestUser;
  beforeAll(async () => {
    t = await createTestProfile();
    user = await t.registerUser();
  });
  afterAll(async () => t?.close());

  const sidOf = (token: string) =>
    JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).sid as string;

  async function endSession(sid: string): Promise<void> {
    const now = Date.now();
    await t.redis.xadd(
      revocationStreamOf(t.config.EVENTS_STREAM),
      ...revocationEntryArgs(sid, now + 960_000, now, 1_920_000),
    );
  }

  it('when the session of a token ends, then PATCH /users/me with it is refused within a second and other sessions go on', async () => {
    const other = await t.token({ sub: user.id });
    await request(t.app).get('/api/v1/users/me').set(user.auth).expect(200);
    const since = Date.now();
    await endSession(sidOf(user.token));
    const refused = await eventually(
      async () => {
        const res = await request(t.app)
          .patch('/api/v1/users/me')
          .set(user.auth)
          .send({ firstName: 'Mallory' });
        return res.status === 401 ? res : undefined;
      },
      5_000,
      10,
    );
    const ms = Date.now() - since;
    console.log(`profile: ended session refused ${ms} ms after its entry was written`);
    expect(ms).toBeLessThan(1_000);
    expect(refused.headers['www-authenticate']).toBe(
      'Bearer error="invalid_token", error_description="This session has ended."',
    );
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    await request(t.app).get('/api/v1/users/me').auth(other, { type: 'bearer' }).expect(200);
    const profile = await request(t.app).get('/api/v1/users/me').auth(other, { type: 'bearer' });
    expect(profile.body.firstName).not.toBe('Mallory');
  });

  it('when the service starts after a session ended, then the entry is read at start and the token refused', async () => {
    const sid = randomUUID();
    await endSession(sid);
    const later = await createTestProfile({ EVENTS_STREAM: t.config.EVENTS_STREAM });
    try {
      const token = await later.token({ sub: user.id, claims: { sid } });
      const res = await request(later.app)
        .get('/api/v1/users/me')
        .auth(token, { type: 'bearer' })
        .expect(401);
      expect(res.body.detail).toBe('This session has ended.');
    } finally {
      await later.close();
    }
  });
});
