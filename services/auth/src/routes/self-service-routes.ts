import { z } from 'zod';
import type { Container } from '../container.ts';
import { deleteOwnAccount } from '../domain/self-deletion.ts';
import { defineRoute, type RouteDef } from '@ums/service-kit/route-table';
import { passwordField } from './account-fields.ts';
import { clearRefreshCookie } from './token-response.ts';

// Strict; which field is needed depends on the account (password, or email when it has none),
// so that is the domain's call, and a missing or wrong one is the same 403.
const deleteBody = z
  .strictObject({
    password: passwordField.optional(),
    confirmEmail: z
      .string()
      .max(320)
      .optional()
      .describe('For accounts without a password (OIDC sign-in only): the account email'),
  })
  .refine((b) => b.password === undefined || b.confirmEmail === undefined, {
    message: 'Give password or confirmEmail, not both.',
    path: ['confirmEmail'],
  })
  .meta({ not: { required: ['password', 'confirmEmail'] } }) // the refinement, for the document
  // No body at all is a missing confirmation (403), like `{}`, rather than a malformed request.
  .optional();

const nullableString = z.string().nullable();

const exportSchema = z.object({
  exportedAt: z.string(),
  account: z.object({
    id: z.string(),
    email: z.string(),
    firstName: nullableString,
    lastName: nullableString,
    role: z.string(),
    status: z.enum(['active', 'inactive', 'suspended']),
    emailVerified: z.boolean(),
    mfaEnabled: z.boolean(),
    hasPassword: z.boolean(),
    passwordChangedAt: nullableString,
    lastLoginAt: nullableString,
    lockedUntil: nullableString,
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
  sessions: z.array(
    z.object({
      id: z.string(),
      createdAt: z.string(),
      lastUsedAt: z.string(),
      expiresAt: z.string(),
      active: z.boolean(),
      current: z.boolean(),
      endedAt: nullableString,
      endReason: nullableString,
      userAgent: nullableString,
      ip: nullableString,
      device: nullableString,
    }),
  ),
  mfa: z.object({ totpEnabled: z.boolean(), recoveryCodesRemaining: z.number().int() }),
  oidcLinks: z.array(
    z.object({
      provider: z.string(),
      subject: z.string(),
      email: nullableString,
      linkedAt: z.string(),
      lastLoginAt: nullableString,
    }),
  ),
  auditEntries: z
    .array(
      z.object({
        id: z.string(),
        type: z.string(),
        occurredAt: z.string(),
        actorId: nullableString,
        ip: nullableString,
        data: z.record(z.string(), z.unknown()),
      }),
    )
    .describe('Security events about the caller, newest first (at most 1,000)'),
});

const tags = ['auth'];

/** The caller's own account: download their auth-side data, delete the account. */
export function selfServiceRoutes({
  account,
  accounts,
  personalExport,
  config,
}: Pick<Container, 'account' | 'accounts' | 'personalExport' | 'config'>): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/auth/me/export',
      summary: "The caller's auth-side data (account, sessions, MFA, providers, security events)",
      tags,
      access: { kind: 'authenticated' },
      responses: {
        200: { description: 'A JSON document, sent as an attachment', schema: exportSchema },
        429: { description: 'auth.too_many_requests (10 exports a minute), with Retry-After' },
      },
      handler: async ({ principal, ctx, res }) => {
        const body = await personalExport(principal, ctx);
        res.setHeader('Cache-Control', 'no-store');
        res.setHeader(
          'Content-Disposition',
          `attachment; filename="ums-auth-export-${body.exportedAt.slice(0, 10)}.json"`,
        );
        return { body };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/v1/auth/me',
      summary:
        'Delete the caller’s account (confirmed with the password, or the email without one)',
      tags,
      access: { kind: 'authenticated' },
      body: deleteBody,
      responses: {
        204: { description: 'Deleted; every session ended and the refresh cookie cleared' },
        403: {
          description:
            'auth.invalid_current_password (confirmation missing or wrong; a locked account is refused too) or account.not_active',
        },
        409: { description: 'account.last_super_admin' },
        429: { description: 'auth.too_many_attempts (password checks), with Retry-After' },
      },
      handler: async ({ body, principal, ctx, res }) => {
        await deleteOwnAccount(account, accounts, principal.userId, body ?? {}, ctx);
        clearRefreshCookie(res, config);
        return { status: 204 };
      },
    }),
  ];
}
