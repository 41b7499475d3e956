import request from 'supertest';
import type { AuditDoc } from '../domain/audit.ts';
import { createTestProfile, snapshotOf, type TestProfile, type TestUser } from '../test/harness.ts';

interface Row {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  role: string;
  status: string;
  createdAt: string;
}

describe('admin directory and export', () => {
  let t: TestProfile;
  let admin: TestUser;
  let reader: TestUser;
  let plain: TestUser;
  const day = (n: number) => new Date(Date.UTC(2024, 0, 1 + n)).toISOString();

  beforeAll(async () => {
    t = await createTestProfile({ EXPORT_RATE_LIMIT: '8', EXPORT_MAX_ROWS: '1000' });
    const people: [string, string, string, string, 'active' | 'suspended' | 'inactive'][] = [
      ['Zoey', 'Quartz', 'zoey.quartz@example.com', 'user', 'active'],
      ['Zoe', 'Abbott', 'ZOE.ABBOTT@Example.com', 'admin', 'active'],
      ['Mark', 'Zoellner', 'mark@corp.example', 'user', 'suspended'],
      ['Ann', 'Dot', 'a.n.n@example.com', 'user', 'inactive'],
      ['Regex', 'Fan', 'a+b@example.com', 'user', 'active'],
      ['=HYPERLINK("http://evil.example")', '+SUM(1)', 'formula@example.com', 'user', 'active'],
      ['-2+3', '@cmd', 'at@example.com', 'user', 'active'],
      ['\tTabbed', '\rReturn', 'ctl@example.com', 'user', 'active'],
    ];
    for (const [i, [firstName, lastName, email, role, status]] of people.entries()) {
      await t.registerUser({ firstName, lastName, email, role, status, createdAt: day(i) });
    }
    for (let i = 0; i < 12; i += 1) {
      await t.registerUser({
        firstName: 'Bulk',
        lastName: `Person${String(i).padStart(2, '0')}`,
        email: `bulk${i}@example.com`,
        createdAt: day(10 + (i % 3)),
      });
    }
    admin = await t.registerUser(
      {
        role: 'admin',
        email: 'boss@example.com',
        firstName: 'Boss',
        lastName: 'Admin',
        createdAt: day(40),
      },
      ['users:read', 'users:export', 'audit:read'],
    );
    reader = await t.registerUser(
      { role: 'admin', email: 'reader@example.com', createdAt: day(41) },
      ['users:read'],
    );
    plain = await t.registerUser({ email: 'plain@example.com', createdAt: day(42) });
  });
  afterAll(async () => t?.close());

  const list = (query: string, who: TestUser = admin) =>
    request(t.app).get(`/api/v1/users${query}`).set(who.auth);
  const emails = (rows: Row[]) => rows.map((r) => r.email).sort();

  it('when q is given, then it matches a case-insensitive substring of first name, last name or email', async () => {
    const res = await list('?q=ZOE').expect(200);
    expect(emails(res.body.items)).toEqual([
      'ZOE.ABBOTT@Example.com',
      'mark@corp.example',
      'zoey.quartz@example.com',
    ]);
    expect(emails((await list('?q=corp.EXAMPLE').expect(200)).body.items)).toEqual([
      'mark@corp.example',
    ]);
  });

  it('when q holds regex metacharacters, then they match literally and cannot blow up', async () => {
    expect((await list('?q=.*').expect(200)).body.items).toEqual([]);
    expect(emails((await list(`?q=${encodeURIComponent('a+b')}`).expect(200)).body.items)).toEqual([
      'a+b@example.com',
    ]);
    expect(emails((await list('?q=a.n.n').expect(200)).body.items)).toEqual(['a.n.n@example.com']);
    await list(`?q=${encodeURIComponent('(a+)+$'.replace('$', ''))}`).expect(200);
    await list(`?q=${encodeURIComponent('[')}`).expect(200);
  });

  it.each([
    ['q={"$ne":null}', `?q=${encodeURIComponent('{"$ne":null}')}`],
    ['q[$gt]=', '?q[$gt]='],
    ['role[$ne]=admin', '?role[$ne]=admin'],
    ['q[$regex]=.*', `?${encodeURIComponent('q[$regex]')}=.*`],
    ['repeated role', '?role=user&role=admin'],
    ['repeated q', '?q=a&q=b'],
    ['limit=1000000', '?limit=1000000'],
    ['limit=0', '?limit=0'],
    ['limit=abc', '?limit=abc'],
    ['limit=-1', '?limit=-1'],
    ['unknown status', '?status=deleted'],
    ['bad date', '?createdFrom=yesterday'],
    ['unknown sort', '?sort=passwordHash'],
    ['unknown parameter', '?where=1'],
    ['q too long', `?q=${'a'.repeat(101)}`],
  ])('when the query has %s, then 400 (never an operator, never 500)', async (_name, query) => {
    const res = await list(query).expect(400);
    expect(res.body.code).toBe('request.validation_failed');
  });

  it('when filtering by role, status and creation dates, then only matching users are listed', async () => {
    expect(emails((await list('?role=admin&q=example.com').expect(200)).body.items)).toEqual([
      'ZOE.ABBOTT@Example.com',
      'boss@example.com',
      'reader@example.com',
    ]);
    expect(emails((await list('?status=suspended').expect(200)).body.items)).toEqual([
      'mark@corp.example',
    ]);
    const range = await list(
      `?createdFrom=${day(1)}&createdTo=${encodeURIComponent(day(3))}`,
    ).expect(200);
    expect(emails(range.body.items)).toEqual([
      'ZOE.ABBOTT@Example.com',
      'a.n.n@example.com',
      'mark@corp.example',
    ]);
    await list('?createdFrom=2024-01-02').expect(200);
  });

  it('when sorted by email or name, then the order is case-insensitive and stable', async () => {
    const byEmail = (await list('?sort=email&limit=100').expect(200)).body.items as Row[];
    const lower = byEmail.map((r) => r.email.toLowerCase());
    expect(lower).toEqual([...lower].sort());
    const byName = (await list('?sort=-name&q=bulk&limit=100').expect(200)).body.items as Row[];
    expect(byName.map((r) => r.lastName)).toEqual(
      Array.from({ length: 12 }, (_, i) => `Person${String(11 - i).padStart(2, '0')}`),
    );
  });

  it.each(['-createdAt', 'createdAt', 'email', '-email', 'name'])(
    'when paging with sort %s and a small limit, then cursors walk every user exactly once (ties included)',
    async (sort) => {
      const all = (await list(`?sort=${sort}&limit=100`).expect(200)).body.items as Row[];
      const walked: string[] = [];
      let cursor: string | null = null;
      do {
        const res: request.Response = await list(
          `?sort=${sort}&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
        ).expect(200);
        walked.push(...(res.body.items as Row[]).map((r) => r.id));
        cursor = res.body.nextCursor as string | null;
      } while (cursor);
      expect(walked).toEqual(all.map((r) => r.id));
      expect(new Set(walked).size).toBe(all.length);
    },
  );

  it('when a cursor is tampered with or used with another sort, then 400', async () => {
    const first = await list('?sort=email&limit=2').expect(200);
    await list(`?sort=-email&limit=2&cursor=${first.body.nextCursor}`).expect(400);
    await list('?limit=2&cursor=bm90LWpzb24').expect(400);
    const forged = Buffer.from(
      JSON.stringify({ s: '-createdAt', v: { $gt: '' }, t: 'd', i: 'x' }),
    ).toString('base64url');
    await list(`?cursor=${forged}`).expect(400);
  });

  it('when a caller lacks users:read, then 403; without a token, then 401', async () => {
    await list('', plain).expect(403);
    await request(t.app).get('/api/v1/users').expect(401);
  });

  const exportCsv = (query: string, who: TestUser = admin) =>
    request(t.app)
      .get(`/api/v1/users/export${query}`)
      .set(who.auth)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => done(null, text));
      });

  it('when users are exported as CSV, then formula cells are neutralized and the file streams as an attachment', async () => {
    const res = await exportCsv('?format=csv&q=example.com').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="users-.*\.csv"$/);
    const text = res.body as string;
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'id,email,firstName,lastName,displayName,jobTitle,location,role,status,emailVerified,mfaEnabled,createdAt,lastLoginAt',
    );
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(text).toContain(",'+SUM(1),");
    expect(text).toContain(",'-2+3,'@cmd,");
    expect(text).toContain(`,'\tTabbed,"'\rReturn",`);
    expect(text).not.toMatch(/(^|,)[=+\-@]/m);
  });

  it('when users are exported as JSON with filters, then it is the same rows as the directory', async () => {
    const res = await request(t.app)
      .get('/api/v1/users/export?format=json&role=admin&sort=email')
      .set(admin.auth)
      .expect(200);
    const rows = JSON.parse(res.text) as Row[];
    const listed = (await list('?role=admin&sort=email&limit=100').expect(200)).body.items as Row[];
    expect(rows.map((r) => r.id)).toEqual(listed.map((r) => r.id));
  });

  it('when an export runs, then it is audited with the actor, address, request id and filters', async () => {
    const res = await exportCsv('?status=suspended')
      .set('X-Request-Id', 'export-req-0001')
      .expect(200);
    expect(res.headers['x-request-id']).toBe('export-req-0001');
    const entry = await t.container.mongo.db
      .collection<AuditDoc>('audit_logs')
      .findOne({ action: 'users.exported', requestId: 'export-req-0001' });
    expect(entry).toMatchObject({
      actorId: admin.id,
      ip: expect.any(String),
      source: 'profile',
      details: { format: 'csv', filter: { status: 'suspended' } },
    });
  });

  it('when the caller has users:read but not users:export, then export is 403', async () => {
    await exportCsv('', reader).expect(403);
    await exportCsv('', plain).expect(403);
  });

  it('when EXPORT_MAX_ROWS is reached, then the export stops there', async () => {
    const small = await createTestProfile({ EXPORT_MAX_ROWS: '3' });
    try {
      for (let i = 0; i < 5; i += 1) await small.registerUser(snapshotOf());
      const boss = await small.registerUser({}, ['users:export']);
      const res = await request(small.app)
        .get('/api/v1/users/export?format=json')
        .set(boss.auth)
        .expect(200);
      expect(JSON.parse(res.text)).toHaveLength(3);
    } finally {
      await small.close();
    }
  });

  it('when one caller exports too often, then 429 with Retry-After', async () => {
    let last: request.Response | undefined;
    for (let i = 0; i < 10; i += 1) {
      last = await exportCsv('?role=nobody');
      if (last.status === 429) break;
    }
    expect(last?.status).toBe(429);
    expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
  });
});
