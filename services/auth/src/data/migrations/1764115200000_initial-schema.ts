// Initial auth schema. Migrations are immutable once merged: change the schema with a new file.
import type { MigrationBuilder } from 'node-pg-migrate';

export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    CREATE TABLE roles (
      name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{1,49}$'),
      description text NOT NULL DEFAULT '',
      permissions text[] NOT NULL DEFAULT '{}',
      is_system boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      email text NOT NULL,
      email_normalized text NOT NULL UNIQUE,
      password_hash text,
      first_name text,
      last_name text,
      role text NOT NULL REFERENCES roles (name) ON UPDATE CASCADE,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'suspended')),
      email_verified boolean NOT NULL DEFAULT false,
      failed_login_count integer NOT NULL DEFAULT 0,
      lockout_count integer NOT NULL DEFAULT 0,
      locked_until timestamptz,
      mfa_enabled boolean NOT NULL DEFAULT false,
      mfa_secret_enc text,
      mfa_pending_secret_enc text,
      mfa_last_step bigint,
      password_changed_at timestamptz,
      last_login_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX users_role_idx ON users (role);
    CREATE INDEX users_created_at_idx ON users (created_at);

    -- One row per refresh token; a session is a family (its id is the access token's sid).
    CREATE TABLE refresh_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      family_id uuid NOT NULL,
      parent_id uuid REFERENCES refresh_tokens (id) ON DELETE SET NULL,
      token_hash bytea NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      idle_expires_at timestamptz NOT NULL,
      used_at timestamptz,
      revoked_at timestamptz,
      revoked_reason text,
      user_agent text,
      ip_address text,
      device text
    );
    CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
    CREATE INDEX refresh_tokens_user_live_idx ON refresh_tokens (user_id) WHERE revoked_at IS NULL AND used_at IS NULL;

    CREATE TABLE signing_keys (
      kid text PRIMARY KEY,
      algorithm text NOT NULL DEFAULT 'RS256' CHECK (algorithm = 'RS256'),
      public_jwk jsonb NOT NULL,
      private_key_enc text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      -- signs until retired_at; published in the JWKS until expires_at (retired + token lifetime)
      retired_at timestamptz,
      expires_at timestamptz
    );

    CREATE TABLE one_time_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      purpose text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
      token_hash bytea NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    );
    CREATE INDEX one_time_tokens_user_idx ON one_time_tokens (user_id, purpose);

    CREATE TABLE recovery_codes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      code_hash bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      used_at timestamptz
    );
    CREATE INDEX recovery_codes_user_idx ON recovery_codes (user_id);

    CREATE TABLE oidc_identities (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      provider text NOT NULL,
      subject text NOT NULL,
      email text,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_login_at timestamptz,
      UNIQUE (provider, subject)
    );
    CREATE INDEX oidc_identities_user_idx ON oidc_identities (user_id);

    -- State of an OIDC authorization in flight: single use, short-lived, stored hashed.
    CREATE TABLE oidc_login_states (
      state_hash bytea PRIMARY KEY,
      provider text NOT NULL,
      code_verifier text NOT NULL,
      nonce text NOT NULL,
      return_to text,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    );

    -- Transactional outbox: written in the same transaction as the change it describes.
    CREATE TABLE outbox (
      id bigserial PRIMARY KEY,
      event_id uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
      type text NOT NULL,
      aggregate_id text,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz
    );
    CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
  `);
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    DROP TABLE outbox;
    DROP TABLE oidc_login_states;
    DROP TABLE oidc_identities;
    DROP TABLE recovery_codes;
    DROP TABLE one_time_tokens;
    DROP TABLE signing_keys;
    DROP TABLE refresh_tokens;
    DROP TABLE users;
    DROP TABLE roles;
  `);
}
