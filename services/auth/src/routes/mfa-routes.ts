import type { Response } from 'express';
import { z } from 'zod';
import type { Container } from '../container.ts';
import type { MfaActor } from '../domain/mfa-enrolment.ts';
import {
  defineRoute,
  type Principal,
  type RequestContext,
  type RouteDef,
} from '@ums/service-kit/route-table';
import { refreshTokenDeliveryField, tokenResponse, tokenResponseSchema } from './token-response.ts';

const tags = ['MFA'];
// Long enough for "123 456" or "xxxx-xxxx-xx" typed with stray spaces; the domain normalises.
const code = z
  .string()
  .max(64)
  .describe(
    'A 6-digit TOTP code or a recovery code, as typed: spaces and dashes are ignored, o/i/l read as 0/1/1',
  );
const password = z.string().min(1).max(1024);

const statusSchema = z.object({
  enabled: z.boolean(),
  required: z.boolean().describe('Whether the MFA policy requires MFA of this role'),
  recoveryCodesRemaining: z.number().int(),
});
const setupSchema = z.object({
  secret: z.string().describe('Base32 TOTP secret; shown only until enrolment completes'),
  otpauthUrl: z.string().describe('otpauth://totp/... for a QR code'),
});
const recoveryCodesSchema = z.object({
  recoveryCodes: z.array(z.string()).describe('Shown once; only hashes are kept'),
});

function actorOf(principal: Principal, ctx: RequestContext): MfaActor {
  return {
    userId: principal.userId,
    sessionId: principal.sessionId,
    requestId: ctx.requestId,
    ip: ctx.ip,
  };
}

/** Secrets and recovery codes must not linger in any cache. */
function noStore(res: Response): void {
  res.setHeader('Cache-Control', 'no-store');
}

/** TOTP enrolment, recovery codes, the MFA status and the second sign-in step. */
export function mfaRoutes({
  mfaEnrolment: enrolment,
  mfaLogin: login,
  config,
}: Pick<Container, 'mfaEnrolment' | 'mfaLogin' | 'config'>): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/auth/mfa',
      summary: 'MFA status of the caller: enabled, required by policy, recovery codes left',
      tags,
      access: { kind: 'authenticated' },
      responses: { 200: { description: 'MFA status', schema: statusSchema } },
      handler: async ({ principal, ctx }) => ({
        body: await enrolment.status(actorOf(principal, ctx).userId),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/mfa/totp/setup',
      summary: 'Start TOTP enrolment: a new secret and its otpauth URL',
      tags,
      access: { kind: 'authenticated' },
      responses: {
        200: { description: 'Pending secret (not active until enabled)', schema: setupSchema },
        409: { description: 'auth.mfa_already_enabled' },
      },
      handler: async ({ principal, ctx, res }) => {
        noStore(res);
        return { body: await enrolment.setup(actorOf(principal, ctx)) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/mfa/totp/enable',
      summary: 'Finish TOTP enrolment with a code; returns the recovery codes once',
      tags,
      access: { kind: 'authenticated' },
      body: z.object({ code }).strict(),
      responses: {
        200: {
          description: 'MFA on; other sessions ended',
          schema: recoveryCodesSchema.extend({ enabled: z.literal(true) }),
        },
        409: { description: 'auth.mfa_already_enabled or auth.mfa_setup_required' },
      },
      handler: async ({ principal, ctx, body, res }) => {
        const { recoveryCodes } = await enrolment.enable(actorOf(principal, ctx), body.code);
        noStore(res);
        return { body: { enabled: true, recoveryCodes } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/mfa/totp/disable',
      summary: 'Turn MFA off (password and a TOTP or recovery code)',
      tags,
      access: { kind: 'authenticated' },
      body: z.object({ password, code }).strict(),
      responses: {
        200: {
          description: 'MFA off; other sessions ended',
          schema: z.object({ enabled: z.literal(false) }),
        },
        403: { description: 'auth.reauthentication_failed (counts toward lockout)' },
        409: { description: 'auth.mfa_not_enabled' },
      },
      handler: async ({ principal, ctx, body }) => {
        await enrolment.disable(actorOf(principal, ctx), body.password, body.code);
        return { body: { enabled: false } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/mfa/recovery-codes',
      summary: 'Replace the recovery codes (password required); the old set stops working',
      tags,
      access: { kind: 'authenticated' },
      body: z.object({ password }).strict(),
      responses: {
        200: { description: 'New recovery codes, shown once', schema: recoveryCodesSchema },
        403: { description: 'auth.reauthentication_failed (counts toward lockout)' },
        409: { description: 'auth.mfa_not_enabled' },
      },
      handler: async ({ principal, ctx, body, res }) => {
        const result = await enrolment.regenerateRecoveryCodes(
          actorOf(principal, ctx),
          body.password,
        );
        noStore(res);
        return { body: result };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/login/mfa',
      summary: 'Second sign-in step: the mfaToken from login plus a TOTP or recovery code',
      tags,
      access: { kind: 'public' },
      // A missing code is a wrong code (it counts toward lockout), not malformed input.
      body: z
        .object({
          mfaToken: z.string().min(1).max(4096),
          code: code.optional(),
          refreshTokenDelivery: refreshTokenDeliveryField,
        })
        .strict(),
      responses: {
        200: { description: 'Signed in', schema: tokenResponseSchema },
        401: { description: 'auth.invalid_mfa_token or auth.invalid_mfa_code' },
      },
      handler: async ({ body, ctx, res }) => {
        const { pair, user } = await login.complete(body.mfaToken, body.code, ctx);
        return { body: tokenResponse(res, pair, user, config, body.refreshTokenDelivery) };
      },
    }),
  ];
}
