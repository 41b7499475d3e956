import request from 'supertest';
import { permissions } from '../domain/permissions.ts';
import { createTestAuth, type TestAuth } from '../test/harness.ts';
import {
  createAccount,
  createRole,
  eventsOf,
  type TestAccount,
} from '../test/admin-test-support.ts';

describe('admin role routes', () => {
  let t: TestAuth;
  let superAdmin: TestAccount;
  let admin: TestAccount;

  beforeAll(async () => {
    t = await createTestAuth();
    superAdmin = await createAccount(t, 'super_admin');
    admin = await createAccount(t, 'admin');
  });
  afterAll(async () => t.close());

  const api = () => request(t.app);
  const roleRow = async (name: string) =>
    (
      await t.container.db.query<{ description: string; permissions: string[] }>(
        'SELECT description, permissions FROM roles WHERE name = $1',
        [name],
      )
    ).rows[0];

  describe('listing', () => {
    it('when an admin lists roles, then each has its permissions, system flag and account count', async () => {
      const res = await api().get('/api/v1/roles').set(admin.auth).expect(200);
      const byName = new Map((res.body as { name: string }[]).map((r) => [r.name, r]));
      expect(byName.get('super_admin')).toEqual({
        name: 'super_admin',
        description: expect.any(String),
        permissions: [...permissions],
        isSystem: true,
        userCount: 1,
      });
      expect(byName.get('admin')).toMatchObject({ isSystem: true, userCount: 1 });
      expect(byName.get('user')).toMatchObject({ isSystem: true, permissions: [] });
    });

    it('when a plain user lists roles, then 403', async () => {
      const user = await createAccount(t);
      await api().get('/api/v1/roles').set(user.auth).expect(403);
    });
  });

  describe('creating', () => {
    it('when a super admin creates a role, then 201, it is stored with canonical permissions and role.created is emitted', async () => {
      const res = await api()
        .post('/api/v1/roles')
        .set(superAdmin.auth)
        .send({
          name: 'auditor',
          description: 'Reads the audit log',
          permissions: ['audit:read', 'users:read', 'audit:read'],
        })
        .expect(201);
      expect(res.body).toEqual({
        name: 'auditor',
        description: 'Reads the audit log',
        permissions: ['users:read', 'audit:read'],
        isSystem: false,
        userCount: 0,
      });
      const [event] = await eventsOf(t, 'role.created', 'auditor');
      expect(event?.payload).toMatchObject({
        actorId: superAdmin.user.id,
        data: { role: { name: 'auditor' } },
      });
      const again = await api()
        .post('/api/v1/roles')
        .set(superAdmin.auth)
        .send({ name: 'auditor', permissions: [] })
        .expect(409);
      expect(again.body.code).toBe('role.already_exists');
    });

    it.each([
      [{ name: 'Bad-Name', permissions: [] }],
      [{ name: 'x', permissions: [] }],
      [{ name: 'a'.repeat(51), permissions: [] }],
      [{ name: 'wizard', permissions: ['users:read', 'everything:all'] }],
      [{ name: 'wizard', permissions: 'users:read' }],
      [{ name: 'wizard' }],
      [{ name: 'wizard', permissions: [], isSystem: true }],
      [{ name: 'wizard', description: 'NUL \u0000 inside', permissions: [] }],
      [{ name: 'wizard', description: 'escape \u001b[31m', permissions: [] }],
    ])('when the body is %j, then 400 and no role is created', async (body) => {
      const res = await api().post('/api/v1/roles').set(superAdmin.auth).send(body).expect(400);
      expect(res.body.code).toBe('request.validation_failed');
      expect(await roleRow('wizard')).toBeUndefined();
    });

    it('when an admin without roles:manage creates a role, then 403 and it is audited', async () => {
      await api()
        .post('/api/v1/roles')
        .set(admin.auth)
        .send({ name: 'sneaky', permissions: ['roles:manage'] })
        .expect(403);
      expect(await roleRow('sneaky')).toBeUndefined();
      const denied = await eventsOf(t, 'auth.access_denied', admin.user.id);
      expect(denied.map((e) => e.payload.data)).toContainEqual(
        expect.objectContaining({
          method: 'POST',
          path: '/api/v1/roles',
          permission: 'roles:manage',
        }),
      );
    });
  });

  describe('changing', () => {
    it('when a super admin changes a role, then it is stored and role.updated carries before and after', async () => {
      await createRole(t, 'support', ['users:read']);
      const res = await api()
        .patch('/api/v1/roles/support')
        .set(superAdmin.auth)
        .send({ description: 'Helpdesk', permissions: ['users:read', 'sessions:manage'] })
        .expect(200);
      expect(res.body).toMatchObject({
        name: 'support',
        description: 'Helpdesk',
        permissions: ['users:read', 'sessions:manage'],
      });
      const [event] = await eventsOf(t, 'role.updated', 'support');
      expect(event?.payload.data).toMatchObject({
        from: { permissions: ['users:read'] },
        to: { permissions: ['users:read', 'sessions:manage'] },
      });
    });

    it('when roles:manage would be removed from super_admin, then 409 role.lockout_protection and nothing changes', async () => {
      const res = await api()
        .patch('/api/v1/roles/super_admin')
        .set(superAdmin.auth)
        .send({ permissions: permissions.filter((p) => p !== 'roles:manage') })
        .expect(409);
      expect(res.body.code).toBe('role.lockout_protection');
      expect((await roleRow('super_admin'))?.permissions).toContain('roles:manage');
    });

    it('when someone removes roles:manage from their own role, then 403 role.self_demotion', async () => {
      await createRole(t, 'role_admin', ['roles:read', 'roles:manage']);
      const roleAdmin = await createAccount(t, 'role_admin');
      const res = await api()
        .patch('/api/v1/roles/role_admin')
        .set(roleAdmin.auth)
        .send({ permissions: ['roles:read'] })
        .expect(403);
      expect(res.body.code).toBe('role.self_demotion');
      expect((await roleRow('role_admin'))?.permissions).toEqual(['roles:read', 'roles:manage']);
      // Other roles, and their own role's other permissions, stay theirs to change.
      await api()
        .patch('/api/v1/roles/role_admin')
        .set(roleAdmin.auth)
        .send({ permissions: ['roles:manage'] })
        .expect(200);
    });

    it('when the role is unknown, then 404; when the body is empty or has unknown fields, then 400', async () => {
      const res = await api()
        .patch('/api/v1/roles/ghost')
        .set(superAdmin.auth)
        .send({ description: 'x' })
        .expect(404);
      expect(res.body.code).toBe('role.not_found');
      await api().patch('/api/v1/roles/admin').set(superAdmin.auth).send({}).expect(400);
      await api()
        .patch('/api/v1/roles/admin')
        .set(superAdmin.auth)
        .send({ name: 'renamed' })
        .expect(400);
      await api()
        .patch('/api/v1/roles/admin')
        .set(superAdmin.auth)
        .send({ isSystem: false })
        .expect(400);
    });
  });

  describe('deleting', () => {
    it('when a system role is deleted, then 409 role.system_role', async () => {
      const res = await api().delete('/api/v1/roles/user').set(superAdmin.auth).expect(409);
      expect(res.body.code).toBe('role.system_role');
      expect(await roleRow('user')).toBeDefined();
    });

    it('when a role still has accounts, then 409 role.in_use', async () => {
      await createRole(t, 'busy', ['users:read']);
      await createAccount(t, 'busy');
      const res = await api().delete('/api/v1/roles/busy').set(superAdmin.auth).expect(409);
      expect(res.body.code).toBe('role.in_use');
    });

    it('when an unused custom role is deleted, then 204, it is gone and role.deleted is emitted', async () => {
      await createRole(t, 'temporary', []);
      await api().delete('/api/v1/roles/temporary').set(superAdmin.auth).expect(204);
      expect(await roleRow('temporary')).toBeUndefined();
      expect(await eventsOf(t, 'role.deleted', 'temporary')).toHaveLength(1);
      await api().delete('/api/v1/roles/temporary').set(superAdmin.auth).expect(404);
    });

    it('when an admin without roles:manage deletes a role, then 403', async () => {
      await createRole(t, 'kept', []);
      await api().delete('/api/v1/roles/kept').set(admin.auth).expect(403);
      expect(await roleRow('kept')).toBeDefined();
    });
  });
});
