// The route x role access matrix, generated from the route table the app mounts: a route added
// anywhere is covered here without editing this file, and a route cannot exist without an access
// declaration (the type requires one; the meta-test below checks the table at run time too).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { isPermission, permissions, type Permission } from '../domain/permissions.ts';
import { createTestAuth, requireEnv, type TestAuth } from '../test/harness.ts';
import { createAccount, createRole, type TestAccount } from '../test/admin-test-support.ts';
import { allRoutes } from './all-routes.ts';
import type { RouteDef } from '@ums/service-kit/route-table';

/** Route permissions are plain strings in the shared route table: each must be one auth knows. */
function knownPermission(permission: string): Permission {
  if (!isPermission(permission)) throw new Error(`route requires unknown permission ${permission}`);
  return permission;
}

/** Bodies that pass validation for routes whose handlers would otherwise answer 400 first. */
const validBodies: Record<string, unknown> = {
  'PATCH /api/v1/accounts/:id': { status: 'active' },
  'POST /api/v1/accounts/bulk': { ids: [randomUUID()], action: 'unlock', dryRun: true },
  'POST /api/v1/roles': { name: 'matrix_created', permissions: [] },
  'PATCH /api/v1/roles/:name': { description: 'Edited by the access matrix test' },
};

const key = (route: RouteDef) => `${route.method.toUpperCase()} ${route.path}`;
const roleFor = (permission: Permission) => `matrix_${permission.replace(':', '_')}`;

/** Valid-looking path parameters (a fresh uuid, or the admin role for role names). */
const validPath = (route: RouteDef) =>
  route.path.replace(/:(\w+)/g, (_m, name: string) => (name === 'name' ? 'admin' : randomUUID()));
/** Invalid path parameters: if validation ran before authorization, these would answer 400. */
const invalidPath = (route: RouteDef) => route.path.replace(/:(\w+)/g, 'Not%20Valid!');

function call(t: TestAuth, route: RouteDef, path: string, body: unknown, token?: string) {
  let req = request(t.app)[route.method](path);
  if (token) req = req.set('Authorization', `Bearer ${token}`);
  return route.method === 'get' ? req : req.send(body as object);
}

describe('route x role access matrix', () => {
  let t: TestAuth;
  let routes: RouteDef[];
  let plainUser: TestAccount;
  const holders = new Map<Permission, TestAccount>();

  beforeAll(async () => {
    t = await createTestAuth();
    routes = allRoutes(t.container);
    plainUser = await createAccount(t, 'user');
    // One role per permission holding only that permission: it alone must open its routes.
    for (const permission of permissions) {
      await createRole(t, roleFor(permission), [permission]);
      holders.set(permission, await createAccount(t, roleFor(permission)));
    }
  });
  afterAll(async () => t.close());

  const holderOf = (permission: Permission): TestAccount => {
    const holder = holders.get(permission);
    if (!holder) throw new Error(`no test account holds ${permission}`);
    return holder;
  };
  const permissionRoutes = () => routes.filter((r) => r.access.kind === 'permission');

  it('when the table is read, then every route declares a known access and admin routes need a permission', () => {
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      expect(['public', 'authenticated', 'permission']).toContain(route.access.kind);
      if (route.access.kind === 'permission')
        expect(permissions).toContain(route.access.permission);
      if (/^\/api\/v1\/(accounts|roles)(\/|$)/.test(route.path))
        expect({ route: key(route), access: route.access.kind }).toEqual({
          route: key(route),
          access: 'permission',
        });
      // Public is for signing in and key discovery only; anything else must ask for a token.
      if (route.access.kind === 'public')
        expect(route.path).toMatch(/^\/(api\/v1\/auth\/|\.well-known\/)/);
    }
    expect(permissionRoutes().map(key)).toEqual(
      expect.arrayContaining([
        'GET /api/v1/accounts/stats',
        'GET /api/v1/accounts/:id',
        'PATCH /api/v1/accounts/:id',
        'DELETE /api/v1/accounts/:id',
        'POST /api/v1/accounts/:id/unlock',
        'POST /api/v1/accounts/:id/revoke-sessions',
        'POST /api/v1/accounts/bulk',
        'GET /api/v1/roles',
        'POST /api/v1/roles',
        'PATCH /api/v1/roles/:name',
        'DELETE /api/v1/roles/:name',
      ]),
    );
  });

  it('when an anonymous caller calls any non-public route, then 401 before any validation', async () => {
    const guarded = routes.filter((r) => r.access.kind !== 'public');
    expect(guarded.length).toBeGreaterThan(0);
    for (const route of guarded) {
      const res = await call(t, route, invalidPath(route), { unexpected: true });
      expect({ route: key(route), status: res.status }).toEqual({ route: key(route), status: 401 });
    }
  });

  it('when an invalid token is sent to any non-public route, then 401', async () => {
    for (const route of routes.filter((r) => r.access.kind !== 'public')) {
      const res = await call(
        t,
        route,
        validPath(route),
        validBodies[key(route)] ?? {},
        `${plainUser.token}x`,
      );
      expect({ route: key(route), status: res.status }).toEqual({ route: key(route), status: 401 });
    }
  });

  it('when a plain user calls any permission route, then 403 before any validation', async () => {
    for (const route of permissionRoutes()) {
      const res = await call(t, route, invalidPath(route), { unexpected: true }, plainUser.token);
      expect({ route: key(route), status: res.status, code: res.body.code }).toEqual({
        route: key(route),
        status: 403,
        code: 'auth.forbidden',
      });
    }
  });

  it('when a holder of some other permission calls a permission route, then 403', async () => {
    for (const route of permissionRoutes()) {
      if (route.access.kind !== 'permission') continue;
      const needed = knownPermission(route.access.permission);
      const other = permissions.find((p) => p !== needed) ?? needed;
      const res = await call(
        t,
        route,
        validPath(route),
        validBodies[key(route)] ?? {},
        holderOf(other).token,
      );
      expect({ route: key(route), as: other, status: res.status }).toEqual({
        route: key(route),
        as: other,
        status: 403,
      });
    }
  });

  it('when a role holding exactly the route permission calls it, then it is neither 401 nor 403', async () => {
    for (const route of permissionRoutes()) {
      if (route.access.kind !== 'permission') continue;
      const holder = holderOf(knownPermission(route.access.permission));
      const res = await call(
        t,
        route,
        validPath(route),
        validBodies[key(route)] ?? {},
        holder.token,
      );
      expect({
        route: key(route),
        denied: [401, 403].includes(res.status),
        status: res.status,
      }).toMatchObject({ route: key(route), denied: false });
      expect(res.status).toBeLessThan(500);
    }
  });
});

describe('a permission lookup that fails', () => {
  let t: TestAuth;
  afterAll(async () => t.close());

  it('when the database is gone after a token was issued, then admin routes answer 503, never allow', async () => {
    t = await createTestAuth();
    const admin = await createAccount(t, 'super_admin');
    const target = await createAccount(t);
    // A first call succeeds, which also caches the token-verification keys in memory.
    await request(t.app).get(`/api/v1/accounts/${target.user.id}`).set(admin.auth).expect(200);

    const base = new pg.Client({ connectionString: requireEnv('DATABASE_URL') });
    await base.connect();
    const name = new URL(t.config.DATABASE_URL).pathname.slice(1);
    await base.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await base.end();

    for (const req of [
      request(t.app).get(`/api/v1/accounts/${target.user.id}`),
      request(t.app).patch(`/api/v1/accounts/${target.user.id}`).send({ status: 'suspended' }),
      request(t.app).get('/api/v1/roles'),
    ]) {
      const res = await req.set(admin.auth);
      expect({ status: res.status, code: res.body.code }).toEqual({
        status: 503,
        code: 'auth.permissions_unavailable',
      });
    }
  });
});
