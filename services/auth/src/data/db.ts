import pg from 'pg';
import type { Logger } from '@ums/service-kit/logger';

export type Db = pg.Pool;
export type DbClient = pg.PoolClient;
/** Anything that runs a query: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'>;

export function createDb(options: { connectionString: string; max: number; logger: Logger }): Db {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: 15_000,
  });
  // An idle client losing its server (a database restart) must not crash the process: the pool
  // drops it and the next query reconnects; requests meanwhile get 503 from the error handler.
  pool.on('error', (error) => options.logger.warn({ err: error }, 'idle PostgreSQL client error'));
  return pool;
}

/** Runs `work` in one transaction; rolls back on any error. */
export async function withTransaction<T>(
  db: Db,
  work: (client: DbClient) => Promise<T>,
): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
