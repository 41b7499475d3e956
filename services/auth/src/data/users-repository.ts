import type { Queryable } from './db.ts';
import { onlyRow } from './rows.ts';

export const userStatuses = ['active', 'inactive', 'suspended'] as const;

export type UserStatus = (typeof userStatuses)[number];

export interface UserRecord {
  id: string;
  email: string;
  passwordHash: string | null;
  firstName: string | null;
  lastName: string | null;
  role: string;
  status: UserStatus;
  emailVerified: boolean;
  failedLoginCount: number;
  lockoutCount: number;
  lockedUntil: Date | null;
  mfaEnabled: boolean;
  mfaSecretEnc: string | null;
  mfaPendingSecretEnc: string | null;
  mfaLastStep: number | null;
  passwordChangedAt: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Every user column, in `toUser` order (for RETURNING). */
export const columns = `id, email, password_hash, first_name, last_name, role, status, email_verified,
  failed_login_count, lockout_count, locked_until, mfa_enabled, mfa_secret_enc,
  mfa_pending_secret_enc, mfa_last_step, password_changed_at, last_login_at, created_at, updated_at`;

/** The user columns qualified with `u.`, for joins; rows map with `toUser`. */
export const qualifiedColumns = columns
  .split(',')
  .map((c) => `u.${c.trim()}`)
  .join(', ');

export interface UserRow {
  id: string;
  email: string;
  password_hash: string | null;
  first_name: string | null;
  last_name: string | null;
  role: string;
  status: UserStatus;
  email_verified: boolean;
  failed_login_count: number;
  lockout_count: number;
  locked_until: Date | null;
  mfa_enabled: boolean;
  mfa_secret_enc: string | null;
  mfa_pending_secret_enc: string | null;
  mfa_last_step: string | null;
  password_changed_at: Date | null;
  last_login_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    firstName: row.first_name,
    lastName: row.last_name,
    role: row.role,
    status: row.status,
    emailVerified: row.email_verified,
    failedLoginCount: row.failed_login_count,
    lockoutCount: row.lockout_count,
    lockedUntil: row.locked_until,
    mfaEnabled: row.mfa_enabled,
    mfaSecretEnc: row.mfa_secret_enc,
    mfaPendingSecretEnc: row.mfa_pending_secret_enc,
    mfaLastStep: row.mfa_last_step === null ? null : Number(row.mfa_last_step),
    passwordChangedAt: row.password_changed_at,
    lastLoginAt: row.last_login_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Emails compare case-insensitively everywhere (one lockout counter per mailbox). */
export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase();
}

export function createUsersRepository() {
  return {
    async findByEmail(
      db: Queryable,
      email: string,
      forUpdate = false,
    ): Promise<UserRecord | undefined> {
      const { rows } = await db.query<UserRow>(
        `SELECT ${columns} FROM users WHERE email_normalized = $1${forUpdate ? ' FOR UPDATE' : ''}`,
        [normalizeEmail(email)],
      );
      return rows[0] && toUser(rows[0]);
    },

    /** findByEmail with the permissions the user's role grants now, in one round trip (sign-in). */
    async findByEmailWithPermissions(
      db: Queryable,
      email: string,
    ): Promise<{ user: UserRecord; permissions: string[] } | undefined> {
      const { rows } = await db.query<UserRow & { permissions: string[] }>({
        name: 'users.find_by_email_with_permissions',
        text: `SELECT ${qualifiedColumns}, COALESCE(r.permissions, '{}') AS permissions
               FROM users u LEFT JOIN roles r ON r.name = u.role WHERE u.email_normalized = $1`,
        values: [normalizeEmail(email)],
      });
      const row = rows[0];
      return row && { user: toUser(row), permissions: row.permissions };
    },

    async findById(db: Queryable, id: string, forUpdate = false): Promise<UserRecord | undefined> {
      const { rows } = await db.query<UserRow>(
        `SELECT ${columns} FROM users WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0] && toUser(rows[0]);
    },

    /** The user and the permissions their role grants now, in one round trip (`/me`). */
    async findWithPermissions(
      db: Queryable,
      id: string,
    ): Promise<{ user: UserRecord; permissions: string[] } | undefined> {
      const { rows } = await db.query<UserRow & { permissions: string[] }>({
        name: 'users.find_with_permissions',
        text: `SELECT ${qualifiedColumns}, COALESCE(r.permissions, '{}') AS permissions
               FROM users u LEFT JOIN roles r ON r.name = u.role WHERE u.id = $1`,
        values: [id],
      });
      const row = rows[0];
      return row && { user: toUser(row), permissions: row.permissions };
    },

    async insert(
      db: Queryable,
      user: {
        email: string;
        passwordHash: string | null;
        firstName?: string | null;
        lastName?: string | null;
        role: string;
        emailVerified?: boolean;
      },
    ): Promise<UserRecord> {
      const { rows } = await db.query<UserRow>(
        `INSERT INTO users (email, email_normalized, password_hash, first_name, last_name, role, email_verified, password_changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $3::text IS NULL THEN NULL ELSE now() END)
         RETURNING ${columns}`,
        [
          user.email.trim(),
          normalizeEmail(user.email),
          user.passwordHash,
          user.firstName ?? null,
          user.lastName ?? null,
          user.role,
          user.emailVerified ?? false,
        ],
      );
      return toUser(onlyRow(rows));
    },

    /** The permissions a user's role grants right now, with the user's status (and MFA state, for the MFA policy). */
    async permissionsOf(
      db: Queryable,
      userId: string,
    ): Promise<
      { role: string; status: UserStatus; permissions: string[]; mfaEnabled: boolean } | undefined
    > {
      const { rows } = await db.query<{
        role: string;
        status: UserStatus;
        permissions: string[];
        mfaEnabled: boolean;
      }>(
        'SELECT u.role, u.status, r.permissions, u.mfa_enabled AS "mfaEnabled" FROM users u JOIN roles r ON r.name = u.role WHERE u.id = $1',
        [userId],
      );
      return rows[0];
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;

/** The public shape of a user in API responses: never hashes, secrets or counters. */
export function publicUser(user: UserRecord) {
  return {
    id: user.id,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    role: user.role,
    status: user.status,
    emailVerified: user.emailVerified,
    mfaEnabled: user.mfaEnabled,
    createdAt: user.createdAt.toISOString(),
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
  };
}
