import type { Queryable } from './db.ts';

// The MFA columns of `users` and the used-mfaToken list. Secrets arrive here already sealed.

/** Starts (or restarts) enrolment: the sealed secret waits until a code proves the app has it. */
export async function setPendingTotpSecret(
  db: Queryable,
  userId: string,
  sealedSecret: string,
): Promise<void> {
  await db.query('UPDATE users SET mfa_pending_secret_enc = $2, updated_at = now() WHERE id = $1', [
    userId,
    sealedSecret,
  ]);
}

/** Completes enrolment: the pending secret becomes the secret; `step` is the code just used. */
export async function activatePendingTotpSecret(
  db: Queryable,
  userId: string,
  step: number,
): Promise<void> {
  await db.query(
    `UPDATE users SET mfa_secret_enc = mfa_pending_secret_enc, mfa_pending_secret_enc = NULL,
       mfa_enabled = true, mfa_last_step = $2, updated_at = now()
     WHERE id = $1 AND mfa_pending_secret_enc IS NOT NULL`,
    [userId, step],
  );
}

export async function clearMfa(db: Queryable, userId: string): Promise<void> {
  await db.query(
    `UPDATE users SET mfa_enabled = false, mfa_secret_enc = NULL, mfa_pending_secret_enc = NULL,
       mfa_last_step = NULL, updated_at = now()
     WHERE id = $1`,
    [userId],
  );
}

/** Records the step of an accepted TOTP code; never moves backwards. */
export async function setLastTotpStep(db: Queryable, userId: string, step: number): Promise<void> {
  await db.query(
    'UPDATE users SET mfa_last_step = GREATEST(COALESCE(mfa_last_step, $2), $2) WHERE id = $1',
    [userId, step],
  );
}

/**
 * Records an mfaToken's jti as spent; false when it already was. Rows outlive the token (its
 * lifetime from now is an upper bound of its expiry) and expired ones are swept on the way.
 */
export async function spendMfaToken(
  db: Queryable,
  jti: string,
  userId: string,
  ttlSeconds: number,
): Promise<boolean> {
  await db.query('DELETE FROM used_mfa_tokens WHERE expires_at < now()');
  const { rowCount } = await db.query(
    `INSERT INTO used_mfa_tokens (jti, user_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))
     ON CONFLICT (jti) DO NOTHING`,
    [jti, userId, ttlSeconds],
  );
  return rowCount === 1;
}

export async function isMfaTokenSpent(db: Queryable, jti: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM used_mfa_tokens WHERE jti = $1', [jti]);
  return rowCount === 1;
}
