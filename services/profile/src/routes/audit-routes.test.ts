import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { AuditDoc } from '../domain/audit.ts';
import { createTestProfile, type TestProfile, type TestUser } from '../test/harness.ts';

interface Entry {
  id: string;
  action: string;
  actorId: string | null;
  userId: string | null;
  occurredAt: string;
}

describe('audit log and own data export', () => {
  let t: TestProfile;
  let auditor: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  // Recent times: entries older than the retention period would be purged.
  const base = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
  const at = (minute: number) => new Date(base + minute * 60_000).toISOString();

  beforeAll(async () => {
    t = await createTestProfile();
    auditor = await t.registerUser({ role: 'admin' }, ['audit:read']);
    alice = await t.registerUser({ email: 'alice@example.com' });
    bob = await t.registerUser({ email: 'bob@example.com' });
    for (let i = 0; i < 6; i += 1) {
      await t.publish({
        type: 'auth.login_succeeded',
        aggregateId: alice.id,
        actorId: alice.id,
        occurredAt: at(i),
        data: { user: alice.snapshot },
      });
    }
    await t.publish({
      type: 'auth.login_failed',
      aggregateId: bob.id,
      actorId: null,
      occurredAt: at(10),
      data: { email: 'bob@example.com' },
    });
    await t.publish({
      type: 'user.role_changed',
      aggregateId: bob.id,
      actorId: auditor.id,
      occurredAt: at(11),
      data: { user: { ...bob.snapshot, role: 'admin' }, from: 'user', to: 'admin' },
    });
    await t.drain();
  });
  afterAll(async () => t?.close());

  const query = (q: string, who: TestUser = auditor) =>
    request(t.app).get(`/api/v1/audit-logs${q}`).set(who.auth);

  it('when filtered by user, actor, action and time, then only matching entries come back, newest first', async () => {
    const byUser = (await query(`?userId=${alice.id}&action=auth.login_succeeded`).expect(200)).body
      .items as Entry[];
    expect(byUser).toHaveLength(6);
    expect(byUser.map((e) => e.occurredAt)).toEqual([5, 4, 3, 2, 1, 0].map(at));
    const byActor = (await query(`?actorId=${auditor.id}`).expect(200)).body.items as Entry[];
    // The harness registers users as their own actors; the registration is the newest entry.
    expect(byActor.map((e) => e.action)).toEqual(['user.registered', 'user.role_changed']);
    const window = (
      await query(
        `?userId=${alice.id}&from=${encodeURIComponent(at(2))}&to=${encodeURIComponent(at(3))}`,
      ).expect(200)
    ).body.items as Entry[];
    expect(window.map((e) => e.occurredAt)).toEqual([at(3), at(2)]);
  });

  it('when paging with a cursor, then every entry is seen once', async () => {
    const all = (await query(`?userId=${alice.id}&limit=100`).expect(200)).body.items as Entry[];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await query(
        `?userId=${alice.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      ).expect(200);
      seen.push(...(res.body.items as Entry[]).map((e) => e.id));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    expect(seen).toEqual(all.map((e) => e.id));
    await query('?cursor=garbage!').expect(400);
    await query(`?cursor=${Buffer.from('{"t":"x","i":1}').toString('base64url')}`).expect(400);
  });

  it('when the query carries operators, repeated or unknown parameters, then 400', async () => {
    for (const q of [
      '?userId[$ne]=x',
      '?action=a&action=b',
      '?limit=1000000',
      '?from=not-a-date',
      '?actorId=a%20b',
      '?ip=1.2.3.4',
    ]) {
      await query(q).expect(400);
    }
  });

  it('when a caller lacks audit:read, then 403 and the denial itself is audited', async () => {
    await query('', alice).set('X-Request-Id', 'denied-req-001').expect(403);
    await request(t.app).get('/api/v1/audit-logs').expect(401);
    const denied = await t.container.mongo.db
      .collection<AuditDoc>('audit_logs')
      .findOne({ action: 'auth.access_denied', requestId: 'denied-req-001' });
    expect(denied).toMatchObject({
      actorId: alice.id,
      source: 'profile',
      details: { path: '/api/v1/audit-logs', method: 'GET' },
    });
  });

  it('when any method but GET is used on the audit log, then 405 and the entries are unchanged', async () => {
    const before = await t.container.mongo.db.collection('audit_logs').countDocuments();
    const some = ((await query('?limit=1').expect(200)).body.items as Entry[])[0];
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      for (const path of ['/api/v1/audit-logs', '/api/v1/audit-logs/export']) {
        const res = await request(t.app)
          [method](path)
          .set(auditor.auth)
          .send({ action: 'tampered' })
          .expect(405);
        expect(res.headers.allow).toBe('GET');
      }
    }
    await request(t.app).delete(`/api/v1/audit-logs/${some?.id}`).set(auditor.auth).expect(404);
    await request(t.app)
      .patch(`/api/v1/audit-logs/${some?.id}`)
      .set(auditor.auth)
      .send({ action: 'x' })
      .expect(404);
    // Only the denial entries of this test's own calls may have been added; none removed or changed.
    expect(
      await t.container.mongo.db.collection('audit_logs').countDocuments(),
    ).toBeGreaterThanOrEqual(before);
    expect(
      (await query(`?actorId=${auditor.id}&action=user.role_changed`).expect(200)).body.items,
    ).toHaveLength(1);
  });

  it('when the audit log is exported as CSV or JSON with filters, then it streams the matching entries and is audited', async () => {
    const csv = await request(t.app)
      .get(`/api/v1/audit-logs/export?userId=${alice.id}`)
      .set(auditor.auth)
      .expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,occurredAt,action,actorId,userId,ip,requestId,source,details');
    expect(lines).toHaveLength(1 + 7); // registration + six logins
    const json = await request(t.app)
      .get(`/api/v1/audit-logs/export?format=json&action=auth.login_failed`)
      .set(auditor.auth)
      .expect(200);
    expect((JSON.parse(json.text) as Entry[]).map((e) => e.userId)).toEqual([bob.id]);
    const exported = await t.container.mongo.db
      .collection<AuditDoc>('audit_logs')
      .countDocuments({ action: 'audit_logs.exported', actorId: auditor.id });
    expect(exported).toBe(2);
  });

  it('when a user exports their own data, then they get their profile, preferences and only their own audit entries', async () => {
    await request(t.app)
      .patch('/api/v1/users/me')
      .set(alice.auth)
      .send({ bio: 'mine', preferences: { language: 'fr' } })
      .expect(200);
    const res = await request(t.app).get('/api/v1/users/me/export').set(alice.auth).expect(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="my-data-.*\.json"$/);
    const body = JSON.parse(res.text) as {
      profile: Record<string, unknown>;
      auditEntries: Entry[];
    };
    expect(body.profile).toMatchObject({
      id: alice.id,
      email: 'alice@example.com',
      bio: 'mine',
      preferences: { language: 'fr' },
    });
    expect(body.auditEntries.length).toBeGreaterThanOrEqual(8);
    expect(body.auditEntries.every((e) => e.userId === alice.id || e.actorId === alice.id)).toBe(
      true,
    );
    expect(body.auditEntries.map((e) => e.action)).toContain('user.data_exported');
    expect(res.text).not.toContain(bob.id);
    expect(res.text).not.toContain('bob@example.com');
  });

  it('when entries have expired, then the retention purge deletes them and keeps the rest', async () => {
    const logs = t.container.mongo.db.collection<AuditDoc>('audit_logs');
    const old = randomUUID();
    await logs.insertOne({
      _id: old,
      eventId: old,
      action: 'old.event',
      actorId: null,
      userId: null,
      ip: null,
      requestId: null,
      occurredAt: new Date('2020-01-01'),
      recordedAt: new Date('2020-01-01'),
      expiresAt: new Date('2021-01-01'),
      source: 'auth',
      details: {},
    });
    const total = await logs.countDocuments();
    expect(await t.container.retention.runOnce()).toBe(1);
    expect(await logs.countDocuments({ _id: old })).toBe(0);
    expect(await logs.countDocuments()).toBe(total - 1);
    const fresh = await logs.findOne({ action: 'user.role_changed' });
    const days =
      ((fresh?.expiresAt.getTime() ?? 0) - (fresh?.occurredAt.getTime() ?? 0)) / 86_400_000;
    expect(days).toBe(365);
  });
});
