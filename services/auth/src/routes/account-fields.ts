import { z } from 'zod';

// Zod's email rule, with the spaces and tabs a pasted address brings around it: a pattern rather
// than a format, so that the OpenAPI document states exactly what the server accepts.
const EMAIL = new RegExp(`^[ \\t]*${z.regexes.email.source.slice(1, -1)}[ \\t]*$`);

/** A validated email address, trimmed (bounded before the format check). */
export const emailField = z
  .string()
  .max(254)
  .regex(EMAIL, { error: 'Invalid email address' })
  .transform((v) => v.trim());

/** Generous bound on any password field; the policy (12..128 code points) answers with its own codes. */
export const passwordField = z.string().max(4096);

/**
 * A password being chosen. The policy's length (in code points) is checked by the domain, which
 * answers with its own codes (auth.password_too_short...); the document states it for clients.
 */
export const newPasswordField = (policy: { minLength: number; maxLength: number }) =>
  passwordField.meta({
    minLength: policy.minLength,
    maxLength: policy.maxLength,
    description:
      'Length in code points after NFKC normalisation; common passwords and ones containing the email are refused',
  });

/** A one-time token from an email link (256 bits, base64url). */
export const oneTimeTokenField = z.string().min(1).max(512);

export const messageSchema = z.object({ message: z.string() });
