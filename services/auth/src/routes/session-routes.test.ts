import { Gauge } from 'prom-client';
import request from 'supertest';
import type { UserRecord } from '../data/users-repository.ts';
import { activeSessionsGaugeTask } from '../domain/session-list.ts';
import { createTestAuth, uniqueSuffix, type TestAuth } from '../test/harness.ts';

const COOKIE = '__Host-ums_refresh';
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/139.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';

describe('logout, logout-all and the session list', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth();
  });
  afterAll(async () => t.close());

  async function newUser(): Promise<UserRecord> {
    return t.container.users.insert(t.container.db, {
      email: `sessions-${uniqueSuffix()}@example.test`,
      passwordHash: null,
      role: 'user',
    });
  }

  const signIn = (user: UserRecord, userAgent = CHROME, ip = '198.51.100.4') =>
    t.container.sessions.issue(t.container.db, user, { ip, userAgent });
  const refresh = (refreshToken: string) =>
    request(t.app).post('/api/v1/auth/refresh').send({ refreshToken });
  const listOf = (accessToken: string) =>
    request(t.app).get('/api/v1/auth/sessions').auth(accessToken, { type: 'bearer' });

  async function liveFamilies(userId: string): Promise<string[]> {
    const { rows } = await t.container.db.query<{ family_id: string }>(
      'SELECT DISTINCT family_id FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL',
      [userId],
    );
    return rows.map((r) => r.family_id);
  }

  async function eventsOf(userId: string) {
    const { rows } = await t.container.db.query<{
      type: string;
      payload: { actorId: string; requestId: string; ip: string; data: Record<string, unknown> };
    }>('SELECT type, payload FROM outbox WHERE aggregate_id = $1 ORDER BY id', [userId]);
    return rows;
  }

  describe('GET /api/v1/auth/sessions', () => {
    it("when a user has two sessions, then both are listed with device, address and dates, and the caller's is current", async () => {
      const user = await newUser();
      const laptop = await signIn(user, CHROME, '198.51.100.4');
      const phone = await signIn(user, FIREFOX, '198.51.100.9');
      const other = await signIn(await newUser());

      const res = await listOf(laptop.accessToken).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toHaveLength(2);
      const byId = new Map(res.body.map((s: { id: string }) => [s.id, s]));
      expect(byId.get(laptop.sessionId)).toEqual({
        id: laptop.sessionId,
        device: 'Chrome on Windows',
        userAgent: CHROME,
        ipAddress: '198.51.100.4',
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
        current: true,
      });
      expect(byId.get(phone.sessionId)).toMatchObject({
        device: 'Firefox on Linux',
        ipAddress: '198.51.100.9',
        current: false,
      });
      expect(byId.has(other.sessionId)).toBe(false);
      expect(JSON.stringify(res.body)).not.toMatch(/token|hash/i);
    });

    it('when a session is refreshed, then it stays one entry whose lastUsedAt moves and createdAt stays', async () => {
      const user = await newUser();
      const pair = await signIn(user);
      const [before] = (await listOf(pair.accessToken).expect(200)).body;
      await new Promise((resolve) => setTimeout(resolve, 20));
      const rotated = await refresh(pair.refreshToken).expect(200);
      const after = (await listOf(rotated.body.accessToken).expect(200)).body;
      expect(after).toHaveLength(1);
      expect(after[0]).toMatchObject({
        id: pair.sessionId,
        createdAt: before.createdAt,
        current: true,
      });
      expect(Date.parse(after[0].lastUsedAt)).toBeGreaterThan(Date.parse(before.lastUsedAt));
    });

    it('when a session expired (idle or absolute) or was revoked, then it is not listed', async () => {
      const user = await newUser();
      const current = await signIn(user);
      const idle = await signIn(user);
      const old = await signIn(user);
      const ended = await signIn(user);
      await t.container.db.query(
        "UPDATE refresh_tokens SET idle_expires_at = now() - interval '1 second' WHERE family_id = $1",
        [idle.sessionId],
      );
      await t.container.db.query(
        "UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE family_id = $1",
        [old.sessionId],
      );
      await request(t.app)
        .post('/api/v1/auth/logout')
        .auth(ended.accessToken, { type: 'bearer' })
        .expect(204);
      const res = await listOf(current.accessToken).expect(200);
      expect(res.body.map((s: { id: string }) => s.id)).toEqual([current.sessionId]);
    });

    it('when called without a valid access token, then 401', async () => {
      await request(t.app).get('/api/v1/auth/sessions').expect(401);
      const pair = await signIn(await newUser());
      // A refresh token is not an access token.
      await listOf(pair.refreshToken).expect(401);
    });
  });

  describe('DELETE /api/v1/auth/sessions/:id', () => {
    it('when a user ends one of their other sessions, then 204, it is gone and its refresh token is refused', async () => {
      const user = await newUser();
      const laptop = await signIn(user);
      const phone = await signIn(user);
      const res = await request(t.app)
        .delete(`/api/v1/auth/sessions/${phone.sessionId}`)
        .auth(laptop.accessToken, { type: 'bearer' })
        .expect(204);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(await liveFamilies(user.id)).toEqual([laptop.sessionId]);
      await refresh(phone.refreshToken).expect(401);
      await refresh(laptop.refreshToken).expect(200);
      const revoked = (await eventsOf(user.id)).filter((e) => e.type === 'user.sessions_revoked');
      expect(revoked.at(-1)?.payload).toMatchObject({
        actorId: user.id,
        data: expect.objectContaining({ reason: 'session_revoked', sessionIds: [phone.sessionId] }),
      });
    });

    it('when a user ends their current session, then the refresh cookie is cleared too', async () => {
      const user = await newUser();
      const pair = await signIn(user);
      const res = await request(t.app)
        .delete(`/api/v1/auth/sessions/${pair.sessionId}`)
        .auth(pair.accessToken, { type: 'bearer' })
        .expect(204);
      expect(String(res.headers['set-cookie'])).toMatch(new RegExp(`^${COOKIE}=;`));
      await refresh(pair.refreshToken).expect(401);
    });

    it("when a user targets another user's session, then 404 exactly like an unknown id and nothing changes", async () => {
      const mallory = await signIn(await newUser());
      const victimUser = await newUser();
      const victim = await signIn(victimUser);
      const theirs = await request(t.app)
        .delete(`/api/v1/auth/sessions/${victim.sessionId}`)
        .auth(mallory.accessToken, { type: 'bearer' })
        .expect(404);
      const unknown = await request(t.app)
        .delete('/api/v1/auth/sessions/00000000-0000-4000-8000-000000000000')
        .auth(mallory.accessToken, { type: 'bearer' })
        .expect(404);
      expect(theirs.body.code).toBe('auth.session_not_found');
      expect({ ...theirs.body, instance: undefined, requestId: undefined }).toEqual({
        ...unknown.body,
        instance: undefined,
        requestId: undefined,
      });
      expect(await liveFamilies(victimUser.id)).toEqual([victim.sessionId]);
    });

    it('when the id is not a uuid, then 400; when the caller is anonymous, then 401', async () => {
      const user = await newUser();
      const pair = await signIn(user);
      await request(t.app)
        .delete("/api/v1/auth/sessions/1' OR '1'='1")
        .auth(pair.accessToken, { type: 'bearer' })
        .expect(400);
      await request(t.app).delete(`/api/v1/auth/sessions/${pair.sessionId}`).expect(401);
      expect(await liveFamilies(user.id)).toEqual([pair.sessionId]);
    });
  });

  describe('POST /api/v1/auth/logout', () => {
    it('when called with an access token, then only that session ends, the cookie is cleared and auth.logout is recorded', async () => {
      const user = await newUser();
      const here = await signIn(user);
      const elsewhere = await signIn(user);
      const res = await request(t.app)
        .post('/api/v1/auth/logout')
        .auth(here.accessToken, { type: 'bearer' })
        .set('X-Request-Id', 'logout-test-0001')
        .expect(204);
      expect(String(res.headers['set-cookie'])).toMatch(
        new RegExp(`^${COOKIE}=;.*Expires=Thu, 01 Jan 1970`),
      );
      expect(await liveFamilies(user.id)).toEqual([elsewhere.sessionId]);
      await refresh(here.refreshToken).expect(401);
      const logout = (await eventsOf(user.id)).find((e) => e.type === 'auth.logout');
      expect(logout?.payload).toMatchObject({
        actorId: user.id,
        requestId: 'logout-test-0001',
        data: expect.objectContaining({ sessionIds: [here.sessionId] }),
      });
    });

    it('when called with only the refresh token in the body, then its session ends', async () => {
      const user = await newUser();
      const pair = await signIn(user);
      await request(t.app)
        .post('/api/v1/auth/logout')
        .send({ refreshToken: pair.refreshToken })
        .expect(204);
      expect(await liveFamilies(user.id)).toEqual([]);
    });

    it('when the web app logs out with an expired access token and its cookie, then the session still ends', async () => {
      const user = await newUser();
      const pair = await signIn(user);
      await request(t.app)
        .post('/api/v1/auth/logout')
        .auth('expired.or.garbage', { type: 'bearer' })
        .set('Cookie', `${COOKIE}=${pair.refreshToken}`)
        .set('Origin', t.config.PUBLIC_BASE_URL)
        .expect(204);
      expect(await liveFamilies(user.id)).toEqual([]);
    });

    it('when another site posts the cookie to logout, then 403 and the session lives on', async () => {
      const user = await newUser();
      const pair = await signIn(user);
      const res = await request(t.app)
        .post('/api/v1/auth/logout')
        .set('Cookie', `${COOKIE}=${pair.refreshToken}`)
        .set('Origin', 'https://evil.example')
        .expect(403);
      expect(res.body.code).toBe('auth.cross_site_request');
      expect(await liveFamilies(user.id)).toEqual([pair.sessionId]);
    });

    it('when there is no credential at all, then 401; when the bearer is invalid and nothing else is sent, then 401', async () => {
      const none = await request(t.app).post('/api/v1/auth/logout').expect(401);
      expect(none.body.code).toBe('auth.credentials_required');
      const bad = await request(t.app)
        .post('/api/v1/auth/logout')
        .auth('not.a.jwt', { type: 'bearer' })
        .expect(401);
      expect(bad.body.code).toBe('auth.invalid_token');
    });

    it('when the refresh token is unknown or already ended, then 204 all the same (logout is idempotent)', async () => {
      await request(t.app)
        .post('/api/v1/auth/logout')
        .send({ refreshToken: 'y'.repeat(43) })
        .expect(204);
      const pair = await signIn(await newUser());
      await request(t.app)
        .post('/api/v1/auth/logout')
        .send({ refreshToken: pair.refreshToken })
        .expect(204);
      await request(t.app)
        .post('/api/v1/auth/logout')
        .send({ refreshToken: pair.refreshToken })
        .expect(204);
    });
  });

  describe('POST /api/v1/auth/logout-all', () => {
    it('when a user logs out everywhere, then every session ends and user.sessions_revoked is recorded', async () => {
      const user = await newUser();
      const [here, ...others] = await Promise.all([signIn(user), signIn(user), signIn(user)]);
      const sessions = [here, ...others];
      const bystander = await newUser();
      const bystanderSession = await signIn(bystander);
      const res = await request(t.app)
        .post('/api/v1/auth/logout-all')
        .auth(here.accessToken, { type: 'bearer' })
        .expect(204);
      expect(String(res.headers['set-cookie'])).toMatch(new RegExp(`^${COOKIE}=;`));
      expect(await liveFamilies(user.id)).toEqual([]);
      for (const s of sessions) await refresh(s.refreshToken).expect(401);
      expect(await liveFamilies(bystander.id)).toEqual([bystanderSession.sessionId]);
      const revoked = (await eventsOf(user.id)).find((e) => e.type === 'user.sessions_revoked');
      expect(revoked?.payload.data).toEqual(
        expect.objectContaining({ reason: 'logout_all', count: 3 }),
      );
    });

    it('when called anonymously or with a refresh token, then 401', async () => {
      const pair = await signIn(await newUser());
      await request(t.app).post('/api/v1/auth/logout-all').expect(401);
      await request(t.app)
        .post('/api/v1/auth/logout-all')
        .send({ refreshToken: pair.refreshToken })
        .expect(401);
    });
  });

  it('when the active-sessions task runs, then the gauge holds the number of live sessions', async () => {
    expect(t.container.background.map((b) => b.name)).toContain('active-sessions-gauge');
    const { rows } = await t.container.db.query<{ n: string }>(
      `SELECT count(DISTINCT family_id) AS n FROM refresh_tokens t WHERE used_at IS NULL AND expires_at > now() AND idle_expires_at > now()
       AND NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.family_id = t.family_id AND r.revoked_at IS NOT NULL)`,
    );
    const gauge = new Gauge({ name: 'test_active_sessions', help: 'test', registers: [] });
    const task = activeSessionsGaugeTask({
      db: t.container.db,
      gauge,
      intervalMs: 60_000,
      logger: t.logs.logger,
    });
    task.start();
    await task.stop();
    const live = Number(rows[0]?.n);
    expect(live).toBeGreaterThan(0);
    expect((await gauge.get()).values[0]?.value).toBe(live);
  });
});
