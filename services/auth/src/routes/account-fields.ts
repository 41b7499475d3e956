import { z } from 'zod';
import { invalidAccessToken } from '@ums/service-kit/bearer';
import type { Principal } from '@ums/service-kit/route-table';

/** A validated, trimmed email address (bounded before the format check). */
export const emailField = z.string().trim().max(254).pipe(z.email());

/** Generous bound on any password field; the policy (12..128 code points) answers with its own codes. */
export const passwordField = z.string().max(4096);

/** A one-time token from an email link (256 bits, base64url). */
export const oneTimeTokenField = z.string().min(1).max(512);

export const messageSchema = z.object({ message: z.string() });

/** Routes with `authenticated` access always get a principal; this makes that explicit. */
export function signedIn(principal: Principal | undefined): Principal {
  if (!principal) throw invalidAccessToken();
  return principal;
}
