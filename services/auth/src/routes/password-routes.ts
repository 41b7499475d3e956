import { z } from 'zod';
import type { AccountDeps } from '../domain/account-deps.ts';
import { changePassword, requestPasswordReset, resetPassword } from '../domain/password-flows.ts';
import {
  emailField,
  messageSchema,
  oneTimeTokenField,
  newPasswordField,
  passwordField,
} from './account-fields.ts';
import { defineRoute, type RouteDef } from '@ums/service-kit/route-table';

const forgotAnswer = {
  message: 'If an account exists for this address, a link to reset its password is on its way.',
};

/** Password change (signed in), forgot-password and reset with an emailed token. */
export function passwordRoutes(deps: AccountDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/password/change',
      summary: 'Change the password (needs the current one); signs out every other session',
      tags: ['auth'],
      access: { kind: 'authenticated' },
      body: z
        .object({
          currentPassword: passwordField,
          newPassword: newPasswordField(deps.passwordPolicy),
        })
        .strict(),
      responses: {
        200: {
          description: 'Changed; how many other sessions were signed out',
          schema: z.object({ sessionsRevoked: z.number().int() }),
        },
        429: { description: 'auth.too_many_attempts, with Retry-After' },
      },
      handler: async ({ body, principal, ctx }) => ({
        body: await changePassword(deps, principal, body, ctx),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/password/forgot',
      summary:
        'Email a password reset link (the same answer whether or not the address has an account)',
      tags: ['auth'],
      access: { kind: 'public' },
      body: z.object({ email: emailField }).strict(),
      responses: {
        202: { description: 'Accepted', schema: messageSchema },
        429: { description: 'auth.too_many_requests, with Retry-After' },
      },
      handler: async ({ body, ctx }) => {
        await requestPasswordReset(deps, body.email, ctx);
        return { status: 202, body: forgotAnswer };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/password/reset',
      summary: 'Set a new password with a reset token; signs out every session',
      tags: ['auth'],
      access: { kind: 'public' },
      body: z
        .object({ token: oneTimeTokenField, newPassword: newPasswordField(deps.passwordPolicy) })
        .strict(),
      responses: {
        204: { description: 'Password reset' },
        429: { description: 'auth.too_many_requests, with Retry-After' },
      },
      handler: async ({ body, ctx }) => {
        await resetPassword(deps, body, ctx);
        return { status: 204 };
      },
    }),
  ];
}
