// Single use of the mfaToken handed out between the password step and the MFA step.
// Migrations are immutable once merged: change the schema with a new file.
import type { MigrationBuilder } from 'node-pg-migrate';

export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    -- The jti of every mfaToken that completed a sign-in. Kept in PostgreSQL rather than Redis so
    -- a Redis outage can never let a token be used twice; rows are useless once the token has
    -- expired and are deleted then.
    CREATE TABLE used_mfa_tokens (
      jti text PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      used_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX used_mfa_tokens_expires_at_idx ON used_mfa_tokens (expires_at);
  `);
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  pgm.sql('DROP TABLE used_mfa_tokens;');
}
