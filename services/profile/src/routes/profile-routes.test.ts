import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import request from 'supertest';
import { weakEtag } from '../app.ts';
import { createTestProfile, snapshotOf, type TestProfile, type TestUser } from '../test/harness.ts';

describe('own profile and preferences', () => {
  let t: TestProfile;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    t = await createTestProfile();
    alice = await t.registerUser({ firstName: 'Alice', lastName: 'Liddell' });
    bob = await t.registerUser({ firstName: 'Bob', lastName: 'Builder' });
  });
  afterAll(async () => t?.close());

  const me = (user: TestUser) => request(t.app).get('/api/v1/users/me').set(user.auth);
  const patch = (user: TestUser, body: unknown) =>
    request(t.app)
      .patch('/api/v1/users/me')
      .set(user.auth)
      .send(body as object);

  it('when a registered user reads their profile, then it carries the account read model and default preferences', async () => {
    const res = await me(alice).expect(200);
    expect(res.body).toMatchObject({
      id: alice.id,
      email: alice.snapshot.email,
      firstName: 'Alice',
      lastName: 'Liddell',
      role: 'user',
      status: 'active',
      emailVerified: true,
      avatarUrl: null,
      preferences: {
        language: 'en',
        theme: 'system',
        timezone: 'UTC',
        notifications: { email: true, push: false, sms: false },
      },
    });
  });

  it('when there is no token, then 401 problem+json with a request id', async () => {
    const res = await request(t.app).get('/api/v1/users/me').expect(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'auth.invalid_token', requestId: expect.any(String) });
  });

  it('when own fields and preferences are patched, then they are stored and other preferences are kept', async () => {
    const res = await patch(alice, {
      displayName: 'Al',
      bio: 'Line one\nline two',
      phone: '+44 20 7946 0000',
      website: 'https://example.com/alice',
      preferences: { theme: 'dark', timezone: 'America/New_York', notifications: { push: true } },
    }).expect(200);
    expect(res.body).toMatchObject({
      displayName: 'Al',
      bio: 'Line one\nline two',
      preferences: {
        language: 'en',
        theme: 'dark',
        timezone: 'America/New_York',
        notifications: { email: true, push: true, sms: false },
      },
    });
    expect((await me(alice).expect(200)).body.preferences.theme).toBe('dark');
  });

  it('when text looks like HTML, then it is stored and returned exactly as given, as JSON', async () => {
    const bio = '<script>alert(1)</script> & <img src=x onerror=alert(2)>';
    await patch(alice, { bio }).expect(200);
    const res = await me(alice).expect(200);
    expect(res.body.bio).toBe(bio);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each([
    ['role', { role: 'admin' }],
    ['status', { status: 'active' }],
    ['email', { email: 'evil@example.com' }],
    ['emailVerified', { emailVerified: true }],
    ['mfaEnabled', { mfaEnabled: false }],
    ['passwordHash', { passwordHash: 'x' }],
    ['failedLoginCount', { failedLoginCount: 0 }],
    ['userId', { userId: randomUUID() }],
    ['_id', { _id: randomUUID() }],
    ['avatar', { avatar: { keys: { 256: '../../etc/passwd' } } }],
    ['an unknown preference', { preferences: { admin: true } }],
  ])(
    'when a self-service body carries %s, then 400 and nothing changes (no mass assignment)',
    async (_name, body) => {
      const before = (await me(bob).expect(200)).body;
      const res = await patch(bob, { displayName: 'Changed', ...body }).expect(400);
      expect(res.body.code).toBe('request.validation_failed');
      expect((await me(bob).expect(200)).body).toEqual(before);
    },
  );

  it('when the body carries __proto__ or constructor.prototype, then 400 and no prototype is polluted', async () => {
    for (const raw of [
      '{"__proto__": {"polluted": "yes"}, "displayName": "P"}',
      '{"constructor": {"prototype": {"polluted": "yes"}}}',
      '{"preferences": {"__proto__": {"polluted": "yes"}}}',
    ]) {
      await request(t.app)
        .patch('/api/v1/users/me')
        .set(bob.auth)
        .set('content-type', 'application/json')
        .send(raw)
        .expect(400);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await me(bob).expect(200)).body.displayName).not.toBe('P');
  });

  it('when values are operators or wrong types, then 400, never 500', async () => {
    for (const body of [
      { firstName: { $ne: null } },
      { firstName: { $where: 'sleep(1000)' } },
      { bio: ['a', 'b'] },
      { preferences: { notifications: { email: 'yes' } } },
      { preferences: 'dark' },
      { displayName: 42 },
      { 'preferences.theme': 'dark' },
      { $set: { role: 'admin' } },
    ]) {
      await patch(bob, body).expect(400);
    }
  });

  it.each([
    [{ language: 'de' }],
    [{ theme: 'blue' }],
    [{ timezone: 'Mars/Olympus_Mons' }],
    [{ timezone: '+01:00' }],
    [{ timezone: 'x'.repeat(100) }],
  ])('when preferences are outside the allowed values (%j), then 400', async (preferences) => {
    await patch(bob, { preferences }).expect(400);
  });

  it('when every supported language and an IANA alias are chosen, then they are accepted', async () => {
    for (const language of ['en', 'es', 'fr', 'ar']) {
      await patch(bob, { preferences: { language } }).expect(200);
    }
    const res = await patch(bob, { preferences: { timezone: 'Asia/Kolkata' } }).expect(200);
    expect(res.body.preferences).toMatchObject({ language: 'ar', timezone: 'Asia/Kolkata' });
  });

  it('when single-line fields carry line breaks or control characters, then 400', async () => {
    await patch(bob, { displayName: 'Bob\r\nINFO forged log line' }).expect(400);
    await patch(bob, { location: 'Paris\u0000' }).expect(400);
    await patch(bob, { website: 'javascript:alert(1)' }).expect(400);
  });

  it('when the body is malformed, not JSON, too large or deeply nested, then 400, 415, 413 and 400', async () => {
    const malformed = await request(t.app)
      .patch('/api/v1/users/me')
      .set(bob.auth)
      .set('content-type', 'application/json')
      .send('{"displayName": ')
      .expect(400);
    expect(malformed.body.code).toBe('request.malformed_json');
    await request(t.app)
      .patch('/api/v1/users/me')
      .set(bob.auth)
      .set('content-type', 'text/plain')
      .send('displayName=x')
      .expect(415);
    await patch(bob, { bio: 'x'.repeat(200_000) }).expect(413);
    let nested: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 2000; i += 1) nested = { n: nested };
    await patch(bob, { preferences: nested }).expect((res) => {
      expect([400, 413]).toContain(res.status);
    });
  });

  it('when an undeclared method is used, then 405 with Allow', async () => {
    const res = await request(t.app).put('/api/v1/users/me').set(bob.auth).send({}).expect(405);
    expect(res.headers.allow).toBe('GET, PATCH');
    await request(t.app).delete('/api/v1/users/me').set(bob.auth).expect(405);
  });

  it("when a user reads another user's profile without users:read, then 403 and no data", async () => {
    const res = await request(t.app).get(`/api/v1/users/${alice.id}`).set(bob.auth).expect(403);
    expect(JSON.stringify(res.body)).not.toContain(alice.snapshot.email);
    // The same answer for an id that does not exist: nothing to enumerate.
    await request(t.app).get(`/api/v1/users/${randomUUID()}`).set(bob.auth).expect(403);
  });

  it('when a user reads their own profile by id, or an admin reads anyone, then 200; unknown ids are 404', async () => {
    await request(t.app).get(`/api/v1/users/${bob.id}`).set(bob.auth).expect(200);
    const admin = await t.registerUser({ role: 'admin' }, ['users:read']);
    const res = await request(t.app).get(`/api/v1/users/${alice.id}`).set(admin.auth).expect(200);
    expect(res.body.email).toBe(alice.snapshot.email);
    await request(t.app).get(`/api/v1/users/${randomUUID()}`).set(admin.auth).expect(404);
    await request(t.app).get('/api/v1/users/not%2Fan%2Fid').set(admin.auth).expect(400);
  });

  it('when a token arrives before the registration event, then the profile is usable and the event fills the account later', async () => {
    const snapshot = snapshotOf({ firstName: 'Early', lastName: 'Bird' });
    const token = await t.token({ sub: snapshot.id });
    const auth = { Authorization: `Bearer ${token}` };
    const placeholder = await request(t.app).get('/api/v1/users/me').set(auth).expect(200);
    expect(placeholder.body).toMatchObject({ id: snapshot.id, email: null });
    await request(t.app)
      .patch('/api/v1/users/me')
      .set(auth)
      .send({ displayName: 'EB' })
      .expect(200);
    await t.publish({
      type: 'user.registered',
      aggregateId: snapshot.id,
      data: { user: snapshot },
    });
    await t.drain();
    const res = await request(t.app).get('/api/v1/users/me').set(auth).expect(200);
    expect(res.body).toMatchObject({
      email: snapshot.email,
      displayName: 'EB',
      firstName: 'Early',
      lastName: 'Bird',
    });
  });

  it('when responses are sent, then security headers are set and X-Powered-By is not', async () => {
    const res = await me(alice).expect(200);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['strict-transport-security']).toContain('max-age=');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
  });

  it('when the profile is read repeatedly (in-process cache) and then patched, then every read is current and revalidation answers 304 until the change', async () => {
    const first = await me(bob).expect(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
    for (let i = 0; i < 3; i += 1) {
      const again = await me(bob).expect(200);
      expect(again.body).toEqual(first.body);
      await me(bob).set('If-None-Match', etag).expect(304);
    }
    await patch(bob, { jobTitle: `Builder ${randomUUID()}` }).expect(200);
    const changed = await me(bob).set('If-None-Match', etag).expect(200);
    expect(changed.body.jobTitle).toMatch(/^Builder /);
    expect(changed.headers.etag).not.toBe(etag);
  });
});

describe('weakEtag', () => {
  // The `etag` package Express uses by default, resolved from Express itself.
  const etag = createRequire(createRequire(import.meta.url).resolve('express'))('etag') as (
    entity: Buffer,
    options: { weak: boolean },
  ) => string;

  it.each(['', '{}', '{"name":"Zoë ✓"}', 'x'.repeat(5000)])(
    'when the body is %j, then the ETag equals the one Express would send',
    (body) => {
      expect(weakEtag(body, 'utf8')).toBe(etag(Buffer.from(body, 'utf8'), { weak: true }));
      expect(weakEtag(Buffer.from(body))).toBe(etag(Buffer.from(body), { weak: true }));
    },
  );
});
