import pg from 'pg';
import { migrateDown, migrateUp } from './migrate.ts';
import { dumpSchema, readSchemaSnapshot } from './schema-snapshot.ts';
import { requireEnv, uniqueSuffix } from '../test/harness.ts';

// "Fresh equals migrated": the committed schema.sql is what the migrations build, and the down
// migrations undo them completely, so a rollback and re-apply lands on the same schema.
describe('migrations', () => {
  const base = new URL(requireEnv('DATABASE_URL'));
  const name = `auth_migrations_${uniqueSuffix()}`;
  const url = new URL(base);
  url.pathname = `/${name}`;
  const admin = () => new pg.Client({ connectionString: base.toString() });

  beforeAll(async () => {
    const c = admin();
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
  });

  afterAll(async () => {
    const c = admin();
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });

  it('when every migration runs on an empty database, then the schema equals the committed snapshot', async () => {
    await migrateUp(url.toString());
    expect(dumpSchema(url.toString())).toBe(readSchemaSnapshot());
  });

  it('when every migration is rolled back and re-applied, then no table is left behind and the schema is the same', async () => {
    await migrateDown(url.toString(), () => undefined, Infinity);
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    const { rows } = await c.query<{ n: string }>(
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'pgmigrations'",
    );
    await c.end();
    expect(Number(rows[0]?.n)).toBe(0);
    await migrateUp(url.toString());
    expect(dumpSchema(url.toString())).toBe(readSchemaSnapshot());
  });
});
