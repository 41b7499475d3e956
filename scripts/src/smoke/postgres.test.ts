import pg from 'pg';
import { requireEnv, uniqueSuffix } from './env.ts';

describe('PostgreSQL smoke test', () => {
  const pool = new pg.Pool({ connectionString: requireEnv('DATABASE_URL'), max: 2 });
  const table = `smoke_${uniqueSuffix()}`;

  afterAll(async () => {
    await pool.query(`DROP TABLE IF EXISTS ${table}`);
    await pool.end();
  });

  it('when a row is written with parameters, then it reads back with the same values and types', async () => {
    await pool.query(
      `CREATE TABLE ${table} (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), email text UNIQUE NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
    );
    const inserted = await pool.query<{ id: string }>(
      `INSERT INTO ${table} (email) VALUES ($1) RETURNING id`,
      ['ada@example.com'],
    );
    const read = await pool.query<{ id: string; email: string; created_at: Date }>(
      `SELECT id, email, created_at FROM ${table} WHERE email = $1`,
      ['ada@example.com'],
    );
    expect(read.rows).toHaveLength(1);
    expect(read.rows[0]?.id).toBe(inserted.rows[0]?.id);
    expect(read.rows[0]?.created_at).toBeInstanceOf(Date);
  });

  it('when a unique value is inserted twice, then the server refuses it with SQLSTATE 23505', async () => {
    await expect(
      pool.query(`INSERT INTO ${table} (email) VALUES ($1)`, ['ada@example.com']),
    ).rejects.toMatchObject({ code: '23505' });
  });

  it('when asked its version, then it is PostgreSQL 15 or newer', async () => {
    const { rows } = await pool.query<{ server_version_num: string }>('SHOW server_version_num');
    expect(Number(rows[0]?.server_version_num)).toBeGreaterThanOrEqual(150000);
  });
});
