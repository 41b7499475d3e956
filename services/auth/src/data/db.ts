import pg from 'pg';
import type { Logger } from '@ums/service-kit/logger';
import { onlyRow } from './rows.ts';

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

/** Runs `work` in a transaction that is always rolled back: a sandbox (a dry run) keeps nothing. */
export async function withRolledBackTransaction<T>(
  db: Db,
  work: (client: DbClient) => Promise<T>,
): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    return await work(client);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

/**
 * Runs `work` under a savepoint of the transaction `tx`: when it throws, only its own writes are
 * undone, the error is rethrown, and the transaction can go on. A failed rollback to the
 * savepoint leaves the transaction aborted, so its next statement fails anyway.
 */
export async function withSavepoint<T>(tx: Queryable, work: () => Promise<T>): Promise<T> {
  await tx.query('SAVEPOINT work_item');
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await tx.query('ROLLBACK TO SAVEPOINT work_item').catch(() => undefined);
    throw error;
  }
  await tx.query('RELEASE SAVEPOINT work_item');
  return result;
}

/** Runs `work` in one read-only REPEATABLE READ transaction, so every read sees the same snapshot. */
export function withReadOnlySnapshot<T>(
  db: Db,
  work: (client: DbClient) => Promise<T>,
): Promise<T> {
  return withTransaction(db, async (client) => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    return work(client);
  });
}

/** The current transaction's start time (`now()`): the same for every statement in it. */
export async function transactionTime(db: Queryable): Promise<Date> {
  return onlyRow((await db.query<{ now: Date }>('SELECT now()')).rows).now;
}
