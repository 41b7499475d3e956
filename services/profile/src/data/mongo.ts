import {
  MongoClient,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  type Db,
} from 'mongodb';
import type { Logger } from '@ums/service-kit/logger';
import { databaseName, type MongoConfig } from '../config.ts';

export interface Mongo {
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

/**
 * A MongoDB client and database handle. The driver connects on the first operation, so nothing
 * happens at construction; a server that is down makes operations fail after the selection
 * timeout (mapped to 503 for requests) and they work again once it is back.
 */
export function createMongo(
  config: Pick<
    MongoConfig,
    'MONGODB_URI' | 'MONGODB_DB' | 'MONGODB_SERVER_SELECTION_TIMEOUT_MS' | 'MONGODB_POOL_MAX'
  >,
  logger?: Logger,
): Mongo {
  const client = new MongoClient(config.MONGODB_URI, {
    serverSelectionTimeoutMS: config.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
    connectTimeoutMS: config.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
    maxPoolSize: config.MONGODB_POOL_MAX,
    // FerretDB and DocumentDB have no retryable writes; every write here is idempotent anyway.
    retryWrites: false,
    appName: 'ums-profile',
  });
  client.on('serverHeartbeatFailed', (event) =>
    logger?.debug({ connectionId: event.connectionId }, 'MongoDB heartbeat failed'),
  );
  return {
    client,
    db: client.db(databaseName(config)),
    close: () => client.close(),
  };
}

/** Server-side "not implemented" (FerretDB) or "not supported" (DocumentDB) answers. */
export function isNotImplemented(error: unknown): boolean {
  if (!(error instanceof MongoServerError)) return false;
  // 238 NotImplemented (FerretDB), 115 CommandNotSupported, 303 (DocumentDB feature not supported)
  return (
    [238, 115, 303].includes(Number(error.code)) ||
    /not (yet )?(implemented|supported)/i.test(error.message)
  );
}

export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}

/** True when MongoDB cannot be reached (as opposed to a query it refused). */
export function isMongoUnavailable(error: unknown): boolean {
  return (
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNetworkError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoTopologyClosedError
  );
}
