import { jest } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';
import { createServiceApp, finalize } from '@ums/service-kit/app';
import { createTestAuth, type TestAuth } from '../test/harness.ts';
import { enrol, signedInUser, type SignedInUser } from '../test/mfa-test-support.ts';
import { defineRoute, mountRoutes } from '@ums/service-kit/route-table';

// Tests may wait up to ~5 s for a TOTP step boundary to pass (awayFromStepBoundary).
jest.setTimeout(30_000);

// MFA_REQUIRED_ROLES: members who have not enrolled can sign in and enrol, but every
// permission-protected route answers 403 auth.mfa_enrollment_required until MFA is on.

describe('MFA required for chosen roles', () => {
  let t: TestAuth;
  // A permission route of our own, mounted with the service's access control, so the test does
  // not depend on which admin routes exist yet.
  let guarded: Express;
  beforeAll(async () => {
    t = await createTestAuth({ MFA_REQUIRED_ROLES: 'admin, auditor' });
    guarded = createServiceApp({
      serviceName: 'mfa-policy-test',
      logger: t.container.logger,
      metrics: t.container.metrics,
      health: t.container.health,
    });
    mountRoutes(
      guarded,
      [
        defineRoute({
          method: 'get',
          path: '/test/users',
          summary: 'test only',
          tags: ['test'],
          access: { kind: 'permission', permission: 'users:read' },
          responses: { 200: { description: 'ok' } },
          handler: async () => ({ body: { ok: true } }),
        }),
      ],
      t.container.access,
    );
    finalize(guarded);
  });
  afterAll(async () => t.close());

  const readUsers = (who: SignedInUser) =>
    request(guarded).get('/test/users').auth(who.accessToken, { type: 'bearer' });
  const status = async (who: SignedInUser) =>
    (
      await request(t.app)
        .get('/api/v1/auth/mfa')
        .auth(who.accessToken, { type: 'bearer' })
        .expect(200)
    ).body;

  it('when an admin has not enrolled, then permission routes answer 403 auth.mfa_enrollment_required', async () => {
    const admin = await signedInUser(t, 'admin');
    const res = await readUsers(admin).expect(403);
    expect(res.body.code).toBe('auth.mfa_enrollment_required');
    expect(await status(admin)).toEqual({
      enabled: false,
      required: true,
      recoveryCodesRemaining: 0,
    });
  });

  it('when that admin enrols, then the same session reaches the permission route', async () => {
    const admin = await signedInUser(t, 'admin');
    await readUsers(admin).expect(403);
    await enrol(t, admin);
    await readUsers(admin).expect(200);
    expect(await status(admin)).toEqual({
      enabled: true,
      required: true,
      recoveryCodesRemaining: 10,
    });
  });

  it('when an enrolled admin disables MFA, then the block comes back', async () => {
    const admin = await signedInUser(t, 'admin');
    const { recoveryCodes } = await enrol(t, admin);
    await readUsers(admin).expect(200);
    await request(t.app)
      .post('/api/v1/auth/mfa/totp/disable')
      .auth(admin.accessToken, { type: 'bearer' })
      .send({ password: admin.password, code: recoveryCodes[0] })
      .expect(200);
    expect((await readUsers(admin).expect(403)).body.code).toBe('auth.mfa_enrollment_required');
  });

  it('when the role is not listed, then no MFA is needed (super_admin passes, user lacks the permission)', async () => {
    const superAdmin = await signedInUser(t, 'super_admin');
    await readUsers(superAdmin).expect(200);
    expect((await status(superAdmin)).required).toBe(false);
    const user = await signedInUser(t, 'user');
    expect((await readUsers(user).expect(403)).body.code).toBe('auth.forbidden');
  });

  it('when the policy applies, then self-service routes still work without MFA', async () => {
    const admin = await signedInUser(t, 'admin');
    await request(t.app)
      .post('/api/v1/auth/mfa/totp/setup')
      .auth(admin.accessToken, { type: 'bearer' })
      .expect(200);
  });
});
