import { z } from 'zod';
import { invalidAccessToken } from '@ums/service-kit/bearer';
import type { Container } from '../container.ts';
import { login } from '../domain/login.ts';
import { register } from '../domain/registration.ts';
import { emailField, newPasswordField, passwordField } from './account-fields.ts';
import type { PasswordPolicy } from '../domain/passwords.ts';
import { emailRoutes } from './email-routes.ts';
import { passwordRoutes } from './password-routes.ts';
import { defineRoute, type RouteDef } from '@ums/service-kit/route-table';
import { singleLine } from '@ums/service-kit/text-fields';
import {
  refreshTokenDeliveryField,
  tokenResponse,
  tokenResponseSchema,
  userSchema,
} from './token-response.ts';

const registerBody = (policy: PasswordPolicy) =>
  z
    .object({
      email: emailField,
      password: newPasswordField(policy),
      firstName: singleLine(100).trim().optional(),
      lastName: singleLine(100).trim().optional(),
    })
    .strict();

const loginBody = z
  .object({
    // Any single line (a malformed address is a failed sign-in, 401); NUL cannot reach PostgreSQL.
    email: singleLine(320),
    // Optional on purpose: a missing password is a failed attempt (counted, same 401), not a 400.
    password: passwordField.optional(),
    refreshTokenDelivery: refreshTokenDeliveryField,
  })
  .strict();

const mfaRequiredSchema = z.object({ mfaRequired: z.literal(true), mfaToken: z.string() });

const meSchema = z.object({
  id: z.string().uuid(),
  email: z.string(),
  role: z.string(),
  permissions: z.array(z.string()),
  status: z.enum(['active', 'inactive', 'suspended']),
  emailVerified: z.boolean(),
  mfaEnabled: z.boolean(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  createdAt: z.string(),
});

/** Registration, password sign-in and the caller's own account; password and email flows. */
export function authRoutes(c: Pick<Container, 'account' | 'config' | 'db' | 'users'>): RouteDef[] {
  const deps = c.account;
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/register',
      summary:
        'Create an account (an email that already has one gets the same answer, and its owner a notice)',
      tags: ['auth'],
      access: { kind: 'public' },
      body: registerBody(deps.passwordPolicy),
      responses: {
        201: {
          description: 'Account created; a verification email is on its way',
          schema: z.object({ user: userSchema }),
        },
        429: {
          description: 'auth.too_many_requests (registrations per address), with Retry-After',
        },
      },
      handler: async ({ body, ctx }) => ({
        status: 201,
        body: { user: await register(deps, body, ctx) },
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/login',
      summary: 'Sign in with email and password',
      tags: ['auth'],
      access: { kind: 'public' },
      body: loginBody,
      responses: {
        200: {
          description: 'Tokens, or `mfaRequired` with an mfaToken for login/mfa',
          schema: z.union([tokenResponseSchema, mfaRequiredSchema]),
        },
        401: {
          description:
            'auth.invalid_credentials, the same for every refusal (an unverified address included)',
        },
        429: { description: 'auth.too_many_attempts, with Retry-After' },
      },
      handler: async ({ body, ctx, res }) => {
        const result = await login(deps, { email: body.email, password: body.password }, ctx);
        if (result.kind === 'mfa') {
          res.setHeader('Cache-Control', 'no-store');
          return { body: { mfaRequired: true, mfaToken: result.mfaToken } };
        }
        return {
          body: tokenResponse(res, result.pair, result.user, c.config, body.refreshTokenDelivery),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/auth/me',
      summary: 'The caller, with the permissions their role grants now',
      tags: ['auth'],
      access: { kind: 'authenticated' },
      responses: { 200: { description: 'The caller', schema: meSchema } },
      handler: async ({ principal }) => {
        const found = await c.users.findWithPermissions(c.db, principal.userId);
        if (!found) throw invalidAccessToken();
        const { user, permissions } = found;
        return {
          body: {
            id: user.id,
            email: user.email,
            role: user.role,
            permissions: [...permissions],
            status: user.status,
            emailVerified: user.emailVerified,
            mfaEnabled: user.mfaEnabled,
            firstName: user.firstName,
            lastName: user.lastName,
            createdAt: user.createdAt.toISOString(),
          },
        };
      },
    }),
    ...passwordRoutes(deps),
    ...emailRoutes(deps),
  ];
}
