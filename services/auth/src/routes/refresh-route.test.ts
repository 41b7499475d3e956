import { decodeJwt } from 'jose';
import request from 'supertest';
import type { UserRecord } from '../data/users-repository.ts';
import { createTestAuth, uniqueSuffix, type TestAuth } from '../test/harness.ts';

const REFRESH = '/api/v1/auth/refresh';
const COOKIE = '__Host-ums_refresh';
const OUR_ORIGIN = 'http://localhost:3000';

describe('POST /api/v1/auth/refresh', () => {
  let t: TestAuth;
  const issuedTokens: string[] = [];

  beforeAll(async () => {
    t = await createTestAuth();
  });
  afterAll(async () => t.close());

  async function newUser(role = 'user'): Promise<UserRecord> {
    return t.container.users.insert(t.container.db, {
      email: `refresh-${uniqueSuffix()}@example.test`,
      passwordHash: null,
      role,
    });
  }

  async function signIn(user: UserRecord) {
    const pair = await t.container.sessions.issue(t.container.db, user, {
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0',
    });
    issuedTokens.push(pair.refreshToken, pair.accessToken);
    return pair;
  }

  async function tokenRow(familyId: string) {
    const { rows } = await t.container.db.query<{
      id: string;
      parent_id: string | null;
      used_at: Date | null;
      revoked_at: Date | null;
      revoked_reason: string | null;
      expires_at: Date;
      idle_expires_at: Date;
    }>(
      'SELECT id, parent_id, used_at, revoked_at, revoked_reason, expires_at, idle_expires_at FROM refresh_tokens WHERE family_id = $1 ORDER BY created_at',
      [familyId],
    );
    return rows;
  }

  async function events(type: string, userId: string) {
    const { rows } = await t.container.db.query<{ payload: { data: Record<string, unknown> } }>(
      'SELECT payload FROM outbox WHERE type = $1 AND aggregate_id = $2',
      [type, userId],
    );
    return rows;
  }

  const reuseCount = async () =>
    (await t.container.business.tokenReuse.get()).values[0]?.value ?? 0;

  /** The refresh token a response set as the cookie. */
  function cookieValue(res: { headers: Record<string, unknown> }): string {
    const value = new RegExp(`${COOKIE}=([^;]+)`).exec(String(res.headers['set-cookie']))?.[1];
    if (!value) throw new Error('no refresh cookie set');
    return value;
  }

  async function refreshWithBody(token: string, expected: number) {
    const res = await request(t.app).post(REFRESH).send({ refreshToken: token });
    if (res.body.refreshToken) issuedTokens.push(res.body.refreshToken, res.body.accessToken);
    expect(res.status).toBe(expected);
    return res;
  }

  it('when a refresh token is sent in the body, then a new pair comes back in the body, no cookie is set and the old token is spent', async () => {
    const user = await newUser();
    const pair = await signIn(user);
    const res = await refreshWithBody(pair.refreshToken, 200);

    expect(Object.keys(res.body).sort()).toEqual([
      'accessToken',
      'expiresIn',
      'refreshToken',
      'tokenType',
      'user',
    ]);
    expect(res.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: t.config.ACCESS_TOKEN_TTL,
      user: { id: user.id, email: user.email },
    });
    expect(res.body.refreshToken).not.toBe(pair.refreshToken);
    expect(res.headers['cache-control']).toBe('no-store');
    // An API client holds its tokens itself: no cookie for it to carry around.
    expect(res.headers['set-cookie']).toBeUndefined();

    const claims = decodeJwt(res.body.accessToken);
    expect(claims).toMatchObject({ sub: user.id, sid: pair.sessionId, role: 'user' });
    await request(t.app)
      .get('/api/v1/auth/sessions')
      .auth(res.body.accessToken, { type: 'bearer' })
      .expect(200);

    const [parent, child] = await tokenRow(pair.sessionId);
    expect(parent?.used_at).not.toBeNull();
    expect(child?.parent_id).toBe(parent?.id);
    expect(child?.used_at).toBeNull();
    expect(child?.expires_at.getTime()).toBe(parent?.expires_at.getTime());
    expect(child?.idle_expires_at.getTime()).toBeGreaterThanOrEqual(
      parent?.idle_expires_at.getTime() ?? Infinity,
    );
  });

  it('when a used token is presented again, then 401, its whole family is revoked, and the reuse is reported', async () => {
    const user = await newUser();
    const pair = await signIn(user);
    const rotated = await refreshWithBody(pair.refreshToken, 200);
    const before = await reuseCount();

    const replay = await refreshWithBody(pair.refreshToken, 401);
    expect(replay.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(replay.body.code).toBe('auth.invalid_refresh_token');

    // The legitimate holder's newest token died with the family.
    await refreshWithBody(rotated.body.refreshToken, 401);
    const rows = await tokenRow(pair.sessionId);
    expect(rows.every((r) => r.revoked_at !== null)).toBe(true);
    expect(rows.map((r) => r.revoked_reason)).toContain('token_reuse');
    const reported = await events('auth.token_reuse_detected', user.id);
    expect(reported.length).toBeGreaterThanOrEqual(1);
    expect(reported[0]?.payload.data).toMatchObject({ sessionId: pair.sessionId });
    expect(await reuseCount()).toBeGreaterThan(before);
  });

  it('when five refreshes of one token race, then exactly one succeeds and only one child is minted', async () => {
    const pair = await signIn(await newUser());
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        request(t.app).post(REFRESH).send({ refreshToken: pair.refreshToken }),
      ),
    );
    for (const r of results)
      if (r.body.refreshToken) issuedTokens.push(r.body.refreshToken, r.body.accessToken);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401]);
    const rows = await tokenRow(pair.sessionId);
    expect(rows).toHaveLength(2);
    // The losers presented a spent token: that is reuse, so the family ends (RFC 9700 4.14.2).
    expect(rows.every((r) => r.revoked_at !== null)).toBe(true);
  });

  it('when the absolute lifetime is over, then 401 and the token is not spent', async () => {
    const pair = await signIn(await newUser());
    await t.container.db.query(
      "UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE family_id = $1",
      [pair.sessionId],
    );
    const res = await refreshWithBody(pair.refreshToken, 401);
    expect(res.body.code).toBe('auth.invalid_refresh_token');
    expect((await tokenRow(pair.sessionId))[0]?.used_at).toBeNull();
  });

  it('when the idle lifetime is over, then 401', async () => {
    const pair = await signIn(await newUser());
    await t.container.db.query(
      "UPDATE refresh_tokens SET idle_expires_at = now() - interval '1 second' WHERE family_id = $1",
      [pair.sessionId],
    );
    await refreshWithBody(pair.refreshToken, 401);
    expect(await tokenRow(pair.sessionId)).toHaveLength(1);
  });

  it.each(['suspended', 'inactive'])(
    'when the user is %s, then their refresh token is refused',
    async (status) => {
      const user = await newUser();
      const pair = await signIn(user);
      await t.container.db.query('UPDATE users SET status = $2 WHERE id = $1', [user.id, status]);
      await refreshWithBody(pair.refreshToken, 401);
      expect(await tokenRow(pair.sessionId)).toHaveLength(1);
    },
  );

  it('when the user was deleted, then their refresh token is refused', async () => {
    const user = await newUser();
    const pair = await signIn(user);
    await t.container.db.query('DELETE FROM users WHERE id = $1', [user.id]);
    const res = await refreshWithBody(pair.refreshToken, 401);
    expect(res.body.code).toBe('auth.invalid_refresh_token');
  });

  it("when the role's permissions changed since sign-in, then the new access token carries the current ones", async () => {
    await t.container.db.query(
      `INSERT INTO roles (name, permissions) VALUES ('auditor_${process.pid}', '{audit:read}')`,
    );
    const role = `auditor_${process.pid}`;
    const pair = await signIn(await newUser(role));
    expect(decodeJwt(pair.accessToken).permissions).toEqual(['audit:read']);
    await t.container.db.query(
      "UPDATE roles SET permissions = '{users:read,audit:read}' WHERE name = $1",
      [role],
    );
    const res = await refreshWithBody(pair.refreshToken, 200);
    expect(decodeJwt(res.body.accessToken).permissions).toEqual(['users:read', 'audit:read']);
  });

  it('when a session was ended by logout, then its token is refused without a reuse alarm', async () => {
    const user = await newUser();
    const pair = await signIn(user);
    await request(t.app)
      .post('/api/v1/auth/logout')
      .auth(pair.accessToken, { type: 'bearer' })
      .expect(204);
    await refreshWithBody(pair.refreshToken, 401);
    expect(await events('auth.token_reuse_detected', user.id)).toHaveLength(0);
  });

  describe('with the cookie', () => {
    const withCookie = (token: string) =>
      request(t.app).post(REFRESH).set('Cookie', `other=1; ${COOKIE}=${token}`);

    it('when our page sends it (Origin or Sec-Fetch-Site same-origin), then it rotates, the cookie is replaced and the body never carries the token', async () => {
      const pair = await signIn(await newUser());
      const first = await withCookie(pair.refreshToken).set('Origin', OUR_ORIGIN).expect(200);
      const cookie = String(first.headers['set-cookie']);
      const next = cookieValue(first);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/Secure/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(cookie).toMatch(/Path=\//);
      expect(cookie).not.toMatch(/Domain=/);
      // What a script on the page can read: the access token and the user, no refresh token.
      expect(Object.keys(first.body).sort()).toEqual([
        'accessToken',
        'expiresIn',
        'tokenType',
        'user',
      ]);
      expect(JSON.stringify(first.body)).not.toContain(next);
      const second = await withCookie(next).set('Sec-Fetch-Site', 'same-origin').expect(200);
      expect(second.body.refreshToken).toBeUndefined();
      issuedTokens.push(next, cookieValue(second));
    });

    it('when a page asks for the body delivery while refreshing with the cookie, then it is refused as malformed (400)', async () => {
      const pair = await signIn(await newUser());
      await withCookie(pair.refreshToken)
        .set('Origin', OUR_ORIGIN)
        .send({ refreshTokenDelivery: 'body' })
        .expect(400);
    });

    it.each([
      ['a foreign Origin', { Origin: 'https://evil.example' }],
      ['Origin null', { Origin: 'null' }],
      [
        'a foreign Origin claiming same-origin',
        { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'same-origin' },
      ],
      ['Sec-Fetch-Site cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
      ['Sec-Fetch-Site same-site', { 'Sec-Fetch-Site': 'same-site' }],
      ['neither Origin nor Sec-Fetch-Site', {}],
    ])(
      'when a request with %s presents it, then 403 and the token is untouched',
      async (_label, headers) => {
        const pair = await signIn(await newUser());
        const res = await withCookie(pair.refreshToken).set(headers).expect(403);
        expect(res.body.code).toBe('auth.cross_site_request');
        expect((await tokenRow(pair.sessionId))[0]?.used_at).toBeNull();
        await refreshWithBody(pair.refreshToken, 200);
      },
    );

    it('when an API client sends the token in the body from anywhere, then the origin does not matter', async () => {
      const pair = await signIn(await newUser());
      await request(t.app)
        .post(REFRESH)
        .set('Origin', 'https://elsewhere.example')
        .send({ refreshToken: pair.refreshToken })
        .expect(200);
    });

    it('when the cookie is refused as spent, then the response clears it', async () => {
      const pair = await signIn(await newUser());
      await refreshWithBody(pair.refreshToken, 200);
      const res = await withCookie(pair.refreshToken).set('Origin', OUR_ORIGIN).expect(401);
      expect(String(res.headers['set-cookie'])).toMatch(
        new RegExp(`${COOKIE}=;.*Expires=Thu, 01 Jan 1970`),
      );
    });

    it('when the cookie value is badly percent-encoded, then 401, never 500', async () => {
      const res = await withCookie('%E0%A4%A').set('Origin', OUR_ORIGIN);
      expect(res.status).toBe(401);
    });
  });

  describe('bad input', () => {
    it('when no token is given at all, then 401 auth.refresh_token_required', async () => {
      const res = await request(t.app).post(REFRESH).expect(401);
      expect(res.body.code).toBe('auth.refresh_token_required');
    });

    it('when an unknown token is given, then 401', async () => {
      await refreshWithBody('x'.repeat(43), 401);
    });

    it.each([
      ['an unknown field', { refreshToken: 'abc', role: 'super_admin' }],
      ['a non-string token', { refreshToken: { $ne: null } }],
      ['an oversized token', { refreshToken: 'a'.repeat(513) }],
    ])('when the body has %s, then 400', async (_label, body) => {
      const res = await request(t.app).post(REFRESH).send(body).expect(400);
      expect(res.body.code).toBe('request.validation_failed');
    });

    it('when the body is not JSON, then 415', async () => {
      await request(t.app)
        .post(REFRESH)
        .set('Content-Type', 'text/plain')
        .send('refreshToken=abc')
        .expect(415);
    });
  });

  it('when every test above has run, then no log line carries a token', () => {
    const logs = t.logs.lines().join('\n');
    expect(issuedTokens.length).toBeGreaterThan(10);
    for (const token of issuedTokens) expect(logs).not.toContain(token);
  });
});

describe('POST /api/v1/auth/refresh on plain-http development (COOKIE_SECURE=false)', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth({ COOKIE_SECURE: 'false', PUBLIC_BASE_URL: 'http://localhost:5173' });
  });
  afterAll(async () => t.close());

  it('when the ums_refresh cookie comes from the configured web origin, then it rotates', async () => {
    const user = await t.container.users.insert(t.container.db, {
      email: `dev-${uniqueSuffix()}@example.test`,
      passwordHash: null,
      role: 'user',
    });
    const pair = await t.container.sessions.issue(t.container.db, user, {
      ip: '127.0.0.1',
      userAgent: undefined,
    });
    const res = await request(t.app)
      .post(REFRESH)
      .set('Cookie', `ums_refresh=${pair.refreshToken}`)
      .set('Origin', 'http://localhost:5173')
      .expect(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^ums_refresh=/);
    expect(cookie).not.toMatch(/Secure/);
    await request(t.app)
      .post(REFRESH)
      .set('Cookie', `ums_refresh=${/^ums_refresh=([^;]+)/.exec(cookie)?.[1]}`)
      .set('Origin', OUR_ORIGIN)
      .expect(403);
  });
});
