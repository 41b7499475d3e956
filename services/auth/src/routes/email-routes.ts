import { z } from 'zod';
import type { AccountDeps } from '../domain/account-deps.ts';
import { resendVerification, verifyEmail } from '../domain/email-verification.ts';
import { messageSchema, oneTimeTokenField } from './account-fields.ts';
import { defineRoute, type RouteDef } from '@ums/service-kit/route-table';

/** Email address verification: use a token from the email, or ask for a new email. */
export function emailRoutes(deps: AccountDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/email/verify',
      summary: 'Verify the email address with the token from the verification email',
      tags: ['auth'],
      access: { kind: 'public' },
      body: z.object({ token: oneTimeTokenField }).strict(),
      responses: {
        200: { description: 'Verified', schema: z.object({ emailVerified: z.literal(true) }) },
        429: { description: 'auth.too_many_requests, with Retry-After' },
      },
      handler: async ({ body, ctx }) => {
        await verifyEmail(deps, body.token, ctx);
        return { body: { emailVerified: true } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/email/resend',
      summary: 'Send a new verification email to the signed-in user',
      tags: ['auth'],
      access: { kind: 'authenticated' },
      responses: {
        202: {
          description: 'A new link is on its way (older links stop working)',
          schema: messageSchema,
        },
        409: { description: 'auth.email_already_verified' },
        429: { description: 'auth.too_many_requests, with Retry-After' },
      },
      handler: async ({ principal }) => {
        await resendVerification(deps, principal.userId);
        return { status: 202, body: { message: 'A new verification link is on its way.' } };
      },
    }),
  ];
}
