import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  createAccount,
  createRole,
  createRootLikeRole,
  ROOT_LIKE,
  eventsOf,
  liveSessions,
  statusOf,
  type TestAccount,
} from '../test/admin-test-support.ts';
import { createTestAuth, type TestAuth } from '../test/harness.ts';

describe('bulk account actions', () => {
  let t: TestAuth;
  let root: TestAccount;
  let admin: TestAccount;

  beforeAll(async () => {
    t = await createTestAuth();
    await createRootLikeRole(t);
    root = await createAccount(t, ROOT_LIKE);
    admin = await createAccount(t, 'admin');
  });
  afterAll(async () => t.close());

  const bulk = (who: TestAccount, body: object) =>
    request(t.app).post('/api/v1/accounts/bulk').set(who.auth).send(body);

  /** Everything a bulk action could touch, to prove a dry run or a refused request changed nothing. */
  async function snapshot() {
    const q = async (sql: string) => (await t.container.db.query(sql)).rows;
    const [outbox] = await q('SELECT count(*)::int AS n FROM outbox');
    return {
      users: await q(
        'SELECT id, role, status, failed_login_count, locked_until, updated_at FROM users ORDER BY id',
      ),
      tokens: await q('SELECT id, revoked_at FROM refresh_tokens ORDER BY id'),
      events: (outbox as { n: number }).n,
    };
  }

  async function soleSuperAdmins(...keep: TestAccount[]): Promise<void> {
    await t.container.db.query(
      "UPDATE users SET status = 'inactive' WHERE role = 'super_admin' AND NOT (id = ANY($1::uuid[]))",
      [keep.map((a) => a.user.id)],
    );
  }

  it('when an admin suspends several users, then each gets a result, sessions end and one event per user is written', async () => {
    const [a, b] = [await createAccount(t), await createAccount(t)];
    const missing = randomUUID();
    const res = await bulk(admin, {
      ids: [a.user.id, missing, b.user.id],
      action: 'suspend',
    }).expect(200);
    expect(res.body).toEqual({
      dryRun: false,
      results: [
        { id: a.user.id, ok: true, from: 'active', to: 'suspended' },
        { id: missing, ok: false, code: 'account.not_found' },
        { id: b.user.id, ok: true, from: 'active', to: 'suspended' },
      ],
    });
    for (const u of [a, b]) {
      expect(await statusOf(t, u.user.id)).toEqual({ status: 'suspended', role: 'user' });
      expect(await liveSessions(t, u.user.id)).toBe(0);
      expect(await eventsOf(t, 'user.status_changed', u.user.id)).toHaveLength(1);
    }
  });

  it('when a dry run is asked, then results are computed and the database is unchanged', async () => {
    const [a, b] = [await createAccount(t), await createAccount(t)];
    const sa = await createAccount(t, 'super_admin');
    await soleSuperAdmins(sa);
    const before = await snapshot();
    const ids = [a.user.id, b.user.id, sa.user.id, admin.user.id];
    const res = await bulk(admin, { ids, action: 'delete', dryRun: true }).expect(200);
    expect(res.body).toEqual({
      dryRun: true,
      results: [
        { id: a.user.id, ok: true },
        { id: b.user.id, ok: true },
        { id: sa.user.id, ok: false, code: 'account.protected_target' },
        { id: admin.user.id, ok: false, code: 'account.self_deletion' },
      ],
    });
    expect(await snapshot()).toEqual(before);
  });

  it('when a dry run removes two super admins in a row, then the second is refused exactly as a real run refuses it', async () => {
    const first = await createAccount(t, 'super_admin');
    const second = await createAccount(t, 'super_admin');
    await soleSuperAdmins(first, second);
    const body = { ids: [first.user.id, second.user.id], action: 'suspend' };
    const expected = [
      { id: first.user.id, ok: true, from: 'active', to: 'suspended' },
      { id: second.user.id, ok: false, code: 'account.last_super_admin' },
    ];
    const before = await snapshot();
    const dry = await bulk(root, { ...body, dryRun: true }).expect(200);
    expect(dry.body.results).toEqual(expected);
    expect(await snapshot()).toEqual(before);
    const real = await bulk(root, body).expect(200);
    expect(real.body.results).toEqual(expected);
    expect(await statusOf(t, second.user.id)).toEqual({ status: 'active', role: 'super_admin' });
  });

  it('when the caller is in the list, then their own id is refused and the others are processed', async () => {
    const other = await createAccount(t);
    const res = await bulk(admin, {
      ids: [admin.user.id, other.user.id],
      action: 'deactivate',
    }).expect(200);
    expect(res.body.results).toEqual([
      { id: admin.user.id, ok: false, code: 'account.self_demotion' },
      { id: other.user.id, ok: true, from: 'active', to: 'inactive' },
    ]);
    expect(await statusOf(t, admin.user.id)).toEqual({ status: 'active', role: 'admin' });
  });

  it('when change_role would demote the last super admin or grant super_admin without roles:manage, then those ids are refused', async () => {
    const last = await createAccount(t, 'super_admin');
    await soleSuperAdmins(last);
    const demote = await bulk(root, {
      ids: [last.user.id],
      action: 'change_role',
      role: 'user',
    }).expect(200);
    expect(demote.body.results).toEqual([
      { id: last.user.id, ok: false, code: 'account.last_super_admin' },
    ]);
    const plain = await createAccount(t);
    const grant = await bulk(admin, {
      ids: [plain.user.id],
      action: 'change_role',
      role: 'super_admin',
    }).expect(200);
    expect(grant.body.results).toEqual([
      { id: plain.user.id, ok: false, code: 'account.role_not_grantable' },
    ]);
    expect(await statusOf(t, plain.user.id)).toEqual({ status: 'active', role: 'user' });
  });

  it('when the action needs a permission the caller lacks, then 403 for the whole request and nothing changes', async () => {
    await createRole(t, 'editor', ['users:read', 'users:write']);
    const editor = await createAccount(t, 'editor');
    const target = await createAccount(t);
    const before = await snapshot();
    for (const action of ['delete', 'revoke_sessions']) {
      const res = await bulk(editor, { ids: [target.user.id], action }).expect(403);
      expect(res.body.code).toBe('auth.forbidden');
    }
    // The only new rows are the audit events of the two denials.
    expect(await snapshot()).toEqual({ ...before, events: before.events + 2 });
    expect(await eventsOf(t, 'auth.access_denied', editor.user.id)).toHaveLength(2);
  });

  it('when a plain user calls bulk, then 403', async () => {
    const user = await createAccount(t);
    await bulk(user, { ids: [admin.user.id], action: 'suspend' }).expect(403);
    expect(await statusOf(t, admin.user.id)).toEqual({ status: 'active', role: 'admin' });
  });

  it.each([
    ['1001 ids', { ids: Array.from({ length: 1001 }, () => randomUUID()), action: 'unlock' }],
    ['no ids', { ids: [], action: 'unlock' }],
    [
      'a repeated id',
      {
        ids: ['7d4c9a4e-4c52-4e8f-9a36-1f0b7a3c9d21', '7d4c9a4e-4c52-4e8f-9a36-1f0b7a3c9d21'],
        action: 'unlock',
      },
    ],
    ['a malformed id', { ids: ['not-a-uuid'], action: 'unlock' }],
    ['an unknown action', { ids: [randomUUID()], action: 'promote' }],
    ['change_role without a role', { ids: [randomUUID()], action: 'change_role' }],
    ['a role with another action', { ids: [randomUUID()], action: 'suspend', role: 'admin' }],
    ['an unknown field', { ids: [randomUUID()], action: 'suspend', status: 'active' }],
    ['a string dryRun', { ids: [randomUUID()], action: 'suspend', dryRun: 'false' }],
  ])('when the body has %s, then 400 and nothing changes', async (_name, body) => {
    const before = await snapshot();
    const res = await bulk(admin, body).expect(400);
    expect(res.body.code).toBe('request.validation_failed');
    expect(await snapshot()).toEqual(before);
  });

  it('when 1000 ids are sent, then all are processed', async () => {
    const ids = Array.from({ length: 1000 }, () => randomUUID());
    const res = await bulk(admin, { ids, action: 'unlock', dryRun: true }).expect(200);
    expect(res.body.results).toHaveLength(1000);
    expect(res.body.results.every((r: { code?: string }) => r.code === 'account.not_found')).toBe(
      true,
    );
  });
});
