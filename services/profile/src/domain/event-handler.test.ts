import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import sharp from 'sharp';
import request from 'supertest';
import type { AuditDoc } from './audit.ts';
import type { ProfileDoc } from './profile-model.ts';
import { createTestProfile, snapshotOf, type TestProfile } from '../test/harness.ts';

describe('applying auth events (read model and audit log)', () => {
  let t: TestProfile;
  beforeAll(async () => {
    t = await createTestProfile();
  });
  afterAll(async () => t?.close());

  const profiles = () => t.container.mongo.db.collection<ProfileDoc>('user_profiles');
  const audit = () => t.container.mongo.db.collection<AuditDoc>('audit_logs');
  const at = (ms: number) => new Date(Date.UTC(2025, 0, 1) + ms).toISOString();

  it('when user.registered arrives, then the profile and an audit entry with actor, target, time, address and request id exist', async () => {
    const user = snapshotOf({ firstName: 'Reg', lastName: 'Istered' });
    const eventId = await t.publish({
      type: 'user.registered',
      aggregateId: user.id,
      actorId: user.id,
      ip: '198.51.100.4',
      requestId: 'req-12345678',
      occurredAt: at(0),
      data: { user, source: 'api' },
    });
    await t.drain();
    expect(await profiles().findOne({ _id: user.id })).toMatchObject({
      userId: user.id,
      email: user.email,
      emailLower: user.email.toLowerCase(),
      firstName: 'Reg',
      sortName: 'istered reg',
      role: 'user',
      status: 'active',
      emailVerified: true,
    });
    const entry = await audit().findOne({ eventId });
    expect(entry).toMatchObject({
      action: 'user.registered',
      actorId: user.id,
      userId: user.id,
      ip: '198.51.100.4',
      requestId: 'req-12345678',
      occurredAt: new Date(at(0)),
      source: 'auth',
      details: {
        source: 'api',
        user: { role: 'user', status: 'active', emailVerified: true, mfaEnabled: false },
      },
    });
    expect(JSON.stringify(entry?.details)).not.toContain('Reg');
  });

  it('when the same event is delivered twice, then it is applied once', async () => {
    const user = snapshotOf();
    const eventId = randomUUID();
    const event = { type: 'user.registered', eventId, aggregateId: user.id, data: { user } };
    await t.publish(event);
    await t.publish(event);
    expect(await t.drain()).toBe(2);
    expect(await audit().countDocuments({ eventId })).toBe(1);
    expect(await profiles().countDocuments({ _id: user.id })).toBe(1);
  });

  it('when snapshots arrive out of order, then the newest wins and an older one changes nothing', async () => {
    const user = snapshotOf();
    await t.publish({
      type: 'user.registered',
      aggregateId: user.id,
      occurredAt: at(1000),
      data: { user },
    });
    await t.publish({
      type: 'user.updated',
      aggregateId: user.id,
      occurredAt: at(3000),
      data: { user: { ...user, email: 'NEW@Example.com' } },
    });
    await t.publish({
      type: 'user.updated',
      aggregateId: user.id,
      occurredAt: at(2000),
      data: { user: { ...user, email: 'old@example.com' } },
    });
    await t.drain();
    expect(await profiles().findOne({ _id: user.id })).toMatchObject({
      email: 'NEW@Example.com',
      emailLower: 'new@example.com',
    });
    expect(await audit().countDocuments({ userId: user.id })).toBe(3); // every event is still audited
  });

  it('when role, status, MFA and login events arrive, then the read model follows, and own names are never overwritten', async () => {
    const { id, snapshot } = await t.registerUser({ firstName: 'Auth', lastName: 'Name' });
    await t.container.profileService.updateOwn(
      { userId: id, role: 'user', permissions: [], sessionId: 's' },
      { firstName: 'Own', lastName: 'Choice' },
    );
    const lastLoginAt = new Date().toISOString();
    const base = { ...snapshot, firstName: 'Auth2', lastName: 'Name2' };
    // One auth transaction: every event has the same occurredAt; stream order decides.
    const occurredAt = new Date(Date.now() + 1000).toISOString();
    const events = [
      { type: 'user.role_changed', user: { ...base, role: 'admin' } },
      { type: 'user.mfa_enabled', user: { ...base, role: 'admin', mfaEnabled: true } },
      {
        type: 'auth.login_succeeded',
        user: { ...base, role: 'admin', mfaEnabled: true, lastLoginAt },
      },
      {
        type: 'user.status_changed',
        user: { ...base, role: 'admin', mfaEnabled: true, lastLoginAt, status: 'inactive' },
      },
    ];
    // Event ids sort against publish order, so a tie broken by id would pick the wrong one.
    for (const [i, { type, user }] of events.entries()) {
      await t.publish({
        type,
        aggregateId: id,
        occurredAt,
        eventId: `${9 - i}-${randomUUID()}`,
        data: { user },
      });
    }
    await t.drain();
    expect(await profiles().findOne({ _id: id })).toMatchObject({
      role: 'admin',
      status: 'inactive',
      mfaEnabled: true,
      lastLoginAt: new Date(lastLoginAt),
      firstName: 'Own',
      lastName: 'Choice',
      sortName: 'choice own',
    });
  });

  it('when user.deleted arrives, then profile and avatar are erased, audit entries stay without personal data, and late events cannot bring it back', async () => {
    const user = await t.registerUser();
    const png = await sharp({
      create: { width: 40, height: 40, channels: 3, background: '#123456' },
    })
      .png()
      .toBuffer();
    await request(t.app)
      .put('/api/v1/users/me/avatar')
      .set(user.auth)
      .attach('avatar', png, 'a.png')
      .expect(200);
    expect(readdirSync(`${t.config.AVATAR_LOCAL_DIR}/${user.id}`)).toHaveLength(2);
    await t.publish({
      type: 'auth.login_failed',
      aggregateId: user.id,
      ip: '192.0.2.9',
      data: { email: user.snapshot.email, reason: 'bad_password' },
    });
    await t.publish({
      type: 'user.deleted',
      aggregateId: user.id,
      actorId: 'admin-1',
      data: { userId: user.id },
    });
    await t.drain();

    expect(await profiles().findOne({ _id: user.id })).toBeNull();
    expect(readdirSync(`${t.config.AVATAR_LOCAL_DIR}/${user.id}`)).toHaveLength(0);
    const entries = await audit().find({ userId: user.id }).toArray();
    expect(entries.map((e) => e.action).sort()).toEqual([
      'auth.login_failed',
      'user.deleted',
      'user.registered',
    ]);
    for (const e of entries) {
      expect(e).toMatchObject({ ip: null, personalDataErased: true });
      expect(JSON.stringify(e)).not.toContain(user.snapshot.email);
    }

    // A replayed older snapshot or a late login must not resurrect the profile.
    await t.publish({ type: 'user.updated', aggregateId: user.id, data: { user: user.snapshot } });
    await t.publish({
      type: 'auth.login_succeeded',
      aggregateId: user.id,
      ip: '192.0.2.10',
      data: { user: user.snapshot },
    });
    await t.drain();
    expect(await profiles().findOne({ _id: user.id })).toBeNull();
    expect(
      (await audit().findOne({ userId: user.id, action: 'auth.login_succeeded' }))?.ip,
    ).toBeNull();
    await request(t.app).get('/api/v1/users/me').set(user.auth).expect(404);
    await request(t.app)
      .patch('/api/v1/users/me')
      .set(user.auth)
      .send({ bio: 'back?' })
      .expect(404);
    expect(await profiles().findOne({ _id: user.id })).toBeNull();
  });

  it('when an unknown or role event arrives, then it becomes an audit entry only', async () => {
    const unknown = await t.publish({
      type: 'billing.plan_changed',
      aggregateId: randomUUID(),
      data: { plan: 'pro' },
    });
    const role = await t.publish({
      type: 'role.created',
      aggregateId: 'auditor',
      actorId: 'admin-1',
      data: { role: { name: 'auditor', permissions: ['audit:read'] } },
    });
    const before = await profiles().countDocuments();
    await t.drain();
    expect(await profiles().countDocuments()).toBe(before);
    expect(await audit().findOne({ eventId: unknown })).toMatchObject({
      action: 'billing.plan_changed',
      details: { plan: 'pro' },
    });
    expect(await audit().findOne({ eventId: role })).toMatchObject({
      action: 'role.created',
      userId: null,
      details: { role: 'auditor' },
    });
  });

  it('when event data carries secrets or operator keys, then the audit entry keeps none of them', async () => {
    const eventId = await t.publish({
      type: 'auth.password_reset_requested',
      aggregateId: randomUUID(),
      data: {
        token: 'reset-secret-1',
        password: 'Hunter2Hunter2',
        code: '123456',
        $where: 'x',
        'a.b': 1,
        nested: { refreshToken: 'r' },
        ok: 1,
      },
    });
    await t.drain();
    const entry = await audit().findOne({ eventId });
    expect(entry?.details).toEqual({ nested: {}, ok: 1 });
  });

  it('when an entry is malformed, then it is acknowledged and skipped, and the next one is applied', async () => {
    await t.redis.xadd(
      t.config.EVENTS_STREAM,
      '*',
      'eventId',
      'x',
      'type',
      'user.registered',
      'payload',
      '{not json',
    );
    await t.redis.xadd(t.config.EVENTS_STREAM, '*', 'garbage', 'only');
    const user = snapshotOf();
    await t.publish({ type: 'user.registered', aggregateId: user.id, data: { user } });
    await t.drain();
    expect(await profiles().countDocuments({ _id: user.id })).toBe(1);
    const pending = (await t.redis.xpending(t.config.EVENTS_STREAM, t.config.EVENTS_GROUP)) as [
      number,
    ];
    expect(pending[0]).toBe(0);
    expect(t.logs.records().some((r) => r.msg === 'malformed event skipped')).toBe(true);
  });
});
