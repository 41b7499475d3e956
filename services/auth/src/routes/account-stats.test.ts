import request from 'supertest';
import { createTestAuth, type TestAuth } from '../test/harness.ts';
import { createAccount, createRole, type TestAccount } from '../test/admin-test-support.ts';

const PATH = '/api/v1/accounts/stats';

interface Stats {
  generatedAt: string;
  total: number;
  byStatus: Record<string, number>;
  byRole: Record<string, number>;
  registrations: { date: string; count: number }[];
}

/** UTC calendar day `offset` days from `day` (YYYY-MM-DD). */
function shiftDay(day: string, offset: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + offset);
  return date.toISOString().slice(0, 10);
}

describe('GET /api/v1/accounts/stats', () => {
  let t: TestAuth;
  let reader: TestAccount;

  beforeAll(async () => {
    // A fresh database: these are the only accounts, so every count below is exact.
    t = await createTestAuth();
    await createRole(t, 'stats_reader', ['users:read']);
    await createRole(t, 'moderator', ['users:read', 'users:write']);
    reader = await createAccount(t, 'stats_reader');
    await createAccount(t, 'admin');
    const suspended = await createAccount(t, 'user');
    const inactive = await createAccount(t, 'user');
    const older = await createAccount(t, 'user');
    const yearOld = await createAccount(t, 'user');
    const db = t.container.db;
    await db.query("UPDATE users SET status = 'suspended' WHERE id = $1", [suspended.user.id]);
    await db.query("UPDATE users SET status = 'inactive' WHERE id = $1", [inactive.user.id]);
    // Noon UTC of an earlier day: far from any day boundary, whatever the time of the run.
    const backdate = (id: string, daysAgo: number) =>
      db.query(
        `UPDATE users SET created_at =
           ((now() AT TIME ZONE 'UTC')::date - $2::int + time '12:00') AT TIME ZONE 'UTC'
         WHERE id = $1`,
        [id, daysAgo],
      );
    await backdate(suspended.user.id, 3);
    await backdate(inactive.user.id, 3);
    await backdate(older.user.id, 29);
    await backdate(yearOld.user.id, 400);
  });
  afterAll(async () => t.close());

  const stats = (query = '', auth = reader.auth) => request(t.app).get(`${PATH}${query}`).set(auth);

  it('when a users:read holder asks with no query, then 200 with exact counts and 30 zero-filled UTC days', async () => {
    const res = await stats().expect(200);
    const body = res.body as Stats;
    expect(res.headers['cache-control']).toBe('no-store');
    expect(body.total).toBe(6);
    expect(body.byStatus).toEqual({ active: 4, inactive: 1, suspended: 1 });
    // Every role in the table, with 0 for the ones nobody holds.
    expect(body.byRole).toEqual({
      admin: 1,
      moderator: 0,
      stats_reader: 1,
      super_admin: 0,
      user: 4,
    });

    const today = body.generatedAt.slice(0, 10);
    expect(Date.now() - Date.parse(body.generatedAt)).toBeLessThan(60_000);
    expect(body.registrations).toHaveLength(30);
    expect(body.registrations.map((r) => r.date)).toEqual(
      Array.from({ length: 30 }, (_, i) => shiftDay(today, i - 29)),
    );
    const countOn = (daysAgo: number) =>
      body.registrations.find((r) => r.date === shiftDay(today, -daysAgo))?.count;
    expect(countOn(0)).toBe(2); // reader and admin, created during this run
    expect(countOn(3)).toBe(2);
    expect(countOn(29)).toBe(1);
    // The 400-day-old account is outside the window; every other day is an explicit 0.
    expect(body.registrations.reduce((sum, r) => sum + r.count, 0)).toBe(5);
    expect(body.registrations.filter((r) => r.count === 0)).toHaveLength(27);
  });

  it('when days is 1 or 365, then exactly that many entries, ending today', async () => {
    const one = (await stats('?days=1').expect(200)).body as Stats;
    expect(one.registrations).toEqual([{ date: one.generatedAt.slice(0, 10), count: 2 }]);
    const year = (await stats('?days=365').expect(200)).body as Stats;
    expect(year.registrations).toHaveLength(365);
    expect(year.registrations.at(-1)?.date).toBe(year.generatedAt.slice(0, 10));
    expect(year.registrations[0]?.date).toBe(shiftDay(year.generatedAt.slice(0, 10), -364));
    expect(year.registrations.reduce((sum, r) => sum + r.count, 0)).toBe(5);
  });

  it('when an account is deleted, then it is no longer counted anywhere', async () => {
    const before = (await stats('?days=7').expect(200)).body as Stats;
    const doomed = await createAccount(t, 'moderator');
    const during = (await stats('?days=7').expect(200)).body as Stats;
    expect(during.total).toBe(before.total + 1);
    expect(during.byRole.moderator).toBe(1);
    const admin = await createAccount(t, 'super_admin');
    await request(t.app).delete(`/api/v1/accounts/${doomed.user.id}`).set(admin.auth).expect(204);
    await t.container.db.query('DELETE FROM users WHERE id = $1', [admin.user.id]);
    const after = (await stats('?days=7').expect(200)).body as Stats;
    expect(after.total).toBe(before.total);
    expect(after.byRole).toEqual(before.byRole);
    expect(after.byStatus).toEqual(before.byStatus);
    expect(after.registrations).toEqual(before.registrations);
  });

  it.each([
    '?days=0',
    '?days=366',
    '?days=-1',
    '?days=abc',
    '?days=1.5',
    '?days=1e2',
    '?days=',
    '?days=7&days=8',
    '?days=7&extra=1',
    '?from=2026-01-01',
  ])('when the query is %s, then 400 problem+json', async (query) => {
    const res = await stats(query).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('request.validation_failed');
  });

  it('when a plain user asks, then 403 auth.forbidden; when nobody signed in, then 401', async () => {
    const plain = await createAccount(t, 'user');
    const denied = await stats('', plain.auth).expect(403);
    expect(denied.body.code).toBe('auth.forbidden');
    expect(denied.body.total).toBeUndefined();
    const anonymous = await request(t.app).get(PATH).expect(401);
    expect(anonymous.body.code).toBe('auth.invalid_token');
  });

  it('when another method is used on the path, then 405 with Allow: GET', async () => {
    const res = await request(t.app).post(PATH).set(reader.auth).send({}).expect(405);
    expect(res.headers.allow).toBe('GET');
  });
});
