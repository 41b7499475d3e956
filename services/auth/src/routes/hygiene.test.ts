import request from 'supertest';
import { createTestAuth, type TestAuth } from '../test/harness.ts';
import { createUser, signIn } from '../test/auth-test-support.ts';

// SECURITY-TESTS "Input and API hygiene", CORS and the PostgreSQL fault case, on the real app.
describe('HTTP hygiene', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth({ CORS_ORIGINS: 'https://app.example.com' });
  });
  afterAll(async () => t.close());

  it('when any route answers, then security headers are set and nothing names the framework', async () => {
    const res = await request(t.app).get('/.well-known/jwks.json').expect(200);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('when an unknown or null origin calls, then no Access-Control-Allow-Origin is answered; the allowed one gets it', async () => {
    for (const origin of ['https://evil.example', 'null']) {
      const res = await request(t.app)
        .options('/api/v1/auth/login')
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'POST');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
    const ok = await request(t.app)
      .options('/api/v1/auth/login')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'POST');
    expect(ok.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(ok.headers['access-control-allow-credentials']).toBe('true');
  });

  it('when a body carries __proto__ or constructor.prototype, then it is refused and nothing is polluted', async () => {
    const payload =
      '{"email":"proto@example.com","password":"a long enough passphrase 1","__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}}}';
    const res = await request(t.app)
      .post('/api/v1/auth/register')
      .set('content-type', 'application/json')
      .send(payload);
    expect(res.status).toBe(400);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    const { rows } = await t.container.db.query(
      "SELECT 1 FROM users WHERE email_normalized = 'proto@example.com'",
    );
    expect(rows).toHaveLength(0);
  });

  it('when input is malformed, of the wrong type or the wrong media type, then 400/415 problem+json, never 500', async () => {
    const malformed = await request(t.app)
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .send('{"email":');
    expect(malformed.status).toBe(400);
    expect(malformed.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(malformed.text).not.toMatch(/\bat .+:\d+:\d+/);
    const wrongType = await request(t.app)
      .post('/api/v1/auth/login')
      .send({ email: ['a@b.c'], password: { $ne: null } });
    expect(wrongType.status).toBe(400);
    const text = await request(t.app)
      .post('/api/v1/auth/login')
      .set('content-type', 'text/plain')
      .send('email=a');
    expect(text.status).toBe(415);
    // Deep nesting: built as text, since JSON.stringify itself cannot go this deep.
    const deep = `{"email":"a@b.c","password":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    expect(
      (
        await request(t.app)
          .post('/api/v1/auth/login')
          .set('content-type', 'application/json')
          .send(deep)
      ).status,
    ).toBeLessThan(500);
  });
  it('when text carries a NUL or another control character, then 400 before it reaches PostgreSQL, and nothing is stored', async () => {
    // PostgreSQL's text refuses U+0000 outright; found by Schemathesis as a 500 on sign-in.
    const login = await request(t.app)
      .post('/api/v1/auth/login')
      .send({ email: 'nul\u0000@example.com', password: 'whatever it is' });
    expect(login.status).toBe(400);
    expect(login.body.code).toBe('request.validation_failed');
    for (const name of ['Nul\u0000', 'Bell\u0007', 'Two\nlines']) {
      const res = await request(t.app).post('/api/v1/auth/register').send({
        email: 'control@example.com',
        password: 'a long enough passphrase 1',
        firstName: name,
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('request.validation_failed');
    }
    const { rows } = await t.container.db.query(
      "SELECT 1 FROM users WHERE email_normalized = 'control@example.com'",
    );
    expect(rows).toHaveLength(0);
  });
});

describe('PostgreSQL connections lost (a database restart, as the pool sees it)', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth();
  });
  afterAll(async () => t.close());

  it('when every server connection is terminated, then the process survives and requests recover on their own', async () => {
    const { email, password } = await createUser(t);
    const { accessToken } = await signIn(t, email, password);
    await request(t.app)
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${accessToken}`)
      .expect(200);
    // What a restart does to the pool: every connection it holds is cut by the server.
    const admin = new (await import('pg')).default.Client({
      connectionString: t.config.DATABASE_URL,
    });
    await admin.connect();
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    await admin.end();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await request(t.app).get('/api/v1/auth/me').set('Authorization', `Bearer ${accessToken}`))
          .status,
      );
    }
    // At most the requests that raced the cut see 503; none is a 500, and the last ones succeed.
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    expect(statuses.at(-1)).toBe(200);
    await request(t.app).get('/ready').expect(200);
  });
});
