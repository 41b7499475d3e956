import { invalidAccessToken } from './bearer.ts';
import { serviceUnavailable } from './errors.ts';
import type { Logger } from './logger.ts';

/**
 * Ended sessions, so an access token stops working within about a second of its session ending
 * (logout, revoked sessions, suspension, password reset, deletion) instead of living out its `exp`.
 *
 * The auth service's outbox relay appends one entry per ended session id (`sid`) to a Redis
 * stream, in the same MULTI as the events that announce it (see `revocationEntryArgs`). Every
 * verifier process (auth and profile replicas) keeps the stream's recent entries in memory:
 * one full read at start, then a blocking XREAD that Redis answers the moment an entry is added.
 * A request then costs a Map lookup, never a Redis round trip. Entries carry `until`, the moment
 * after which no token of that session can still be unexpired; they are forgotten after it.
 *
 * Redis away: the copy in memory still holds every session ended before the outage. Sessions
 * ended during it cannot be known (their entries wait in the outbox), so once the copy is more
 * than `maxStalenessMs` behind, token checks fail closed: 503 `auth.revocations_unavailable`
 * with Retry-After, never a pass. A process that never completed a read refuses the same way.
 */

/** The commands this needs from an ioredis connection of its own (blocking reads hold it). */
export interface RevocationStreamConnection {
  readonly status: string;
  connect(): Promise<unknown>;
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
  disconnect(): void;
}

export interface SessionRevocationsOptions {
  connection: RevocationStreamConnection;
  stream: string;
  /** How far behind the copy may fall (Redis unreachable) before tokens are refused with 503. */
  maxStalenessMs: number;
  logger: Logger;
  /** Longest wait of one blocking read; the copy is known current up to its start. */
  blockMs?: number;
  now?: () => number;
}

export interface SessionRevocations {
  start(): void;
  /** Resolves true once the first full read is done, false if `timeoutMs` passes first. */
  ready(timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
  /** Throws 401 for an ended session, 503 when the copy is too stale to tell. */
  assertLive(sessionId: string): void;
  /** Ended sessions held in memory. */
  readonly size: number;
}

/** The companion of the events stream (tests and stacks that isolate one isolate both). */
export function revocationStreamOf(eventsStream: string): string {
  return `${eventsStream}:revoked-sessions`;
}

/**
 * XADD arguments for one ended session. `untilMs` must be at least the `exp` of any token the
 * session can still hold (the relay uses now + access-token lifetime + a margin). Entries older
 * than `retainMs` (by this writer's clock) are trimmed; a verifier that is already running has
 * read them, and one that starts later only needs those younger than a token lifetime.
 */
export function revocationEntryArgs(
  sessionId: string,
  untilMs: number,
  nowMs: number,
  retainMs: number,
): (string | number)[] {
  return ['MINID', '~', Math.max(0, nowMs - retainMs), '*', 'sid', sessionId, 'until', untilMs];
}

type StreamEntry = [id: string, fields: string[]];
const PAGE = 1_000;

function fieldOf(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/**
 * XREAD's reply, per stream: RESP2 nests `[[name, entries], ...]`; RESP3 (ioredis 6's default)
 * answers a map, which arrives flattened as `[name, entries, ...]`.
 */
function streamsOf(reply: unknown[] | null): StreamEntry[][] {
  if (!reply) return [];
  if (typeof reply[0] === 'string') return reply.filter((_, i) => i % 2 === 1) as StreamEntry[][];
  return (reply as [string, StreamEntry[]][]).map(([, entries]) => entries);
}

export function createSessionRevocations(options: SessionRevocationsOptions): SessionRevocations {
  const { connection, stream, logger } = options;
  // A read is known complete only up to its start, so one read must stay well inside the grace.
  const blockMs = Math.min(options.blockMs ?? 2_000, Math.floor(options.maxStalenessMs / 3));
  const now = options.now ?? Date.now;
  const ended = new Map<string, number>();
  let lastId: string | undefined;
  let syncedAt = Number.NEGATIVE_INFINITY;
  let running = false;
  let loop: Promise<void> | undefined;
  let failures = 0;
  let pause: { timer: NodeJS.Timeout; resolve: () => void } | undefined;
  let markReady: (() => void) | undefined;
  const firstRead = new Promise<void>((resolve) => (markReady = resolve));

  function apply(entries: readonly StreamEntry[]): void {
    for (const [id, fields] of entries) {
      lastId = id;
      const sid = fieldOf(fields, 'sid');
      const until = Number(fieldOf(fields, 'until'));
      if (sid === undefined || !Number.isFinite(until)) continue;
      if (until > (ended.get(sid) ?? 0)) ended.set(sid, until);
    }
  }

  function forgetExpired(at: number): void {
    for (const [sid, until] of ended) if (until <= at) ended.delete(sid);
  }

  async function loadAll(): Promise<void> {
    let start = '-';
    lastId = '0-0';
    for (;;) {
      const page = (await connection.call('XRANGE', stream, start, '+', 'COUNT', PAGE)) as
        StreamEntry[] | null;
      apply(page ?? []);
      if (!page || page.length < PAGE) return;
      start = `(${lastId}`;
    }
  }

  async function readNew(from: string): Promise<void> {
    const reply = (await connection.call(
      'XREAD',
      'COUNT',
      PAGE,
      'BLOCK',
      blockMs,
      'STREAMS',
      stream,
      from,
    )) as unknown[] | null;
    for (const entries of streamsOf(reply)) apply(entries);
  }

  async function step(): Promise<void> {
    if (connection.status === 'wait') await connection.connect();
    // Everything appended before this read began is in the copy once it returns.
    const startedAt = now();
    if (lastId === undefined) await loadAll();
    else await readNew(lastId);
    syncedAt = startedAt;
    markReady?.();
    forgetExpired(startedAt);
  }

  async function run(): Promise<void> {
    while (running) {
      try {
        await step();
        if (failures > 0) logger.info({ stream, afterFailures: failures }, 'revocations current');
        failures = 0;
      } catch (error) {
        if (!running) return;
        failures += 1;
        // Warn once per outage; the retries that follow are debug noise.
        logger[failures === 1 ? 'warn' : 'debug'](
          { err: error, stream, failures },
          'session revocations cannot be read; tokens are refused once the copy is stale',
        );
        await new Promise<void>((resolve) => {
          pause = { timer: setTimeout(resolve, Math.min(1_000, 100 * failures)), resolve };
        });
        pause = undefined;
      }
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async ready(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const done = await Promise.race([firstRead.then(() => true), timeout]);
      clearTimeout(timer);
      return done;
    },
    async stop() {
      running = false;
      // A blocking read holds the connection: closing it ends the read at once.
      connection.disconnect();
      if (pause) {
        clearTimeout(pause.timer);
        pause.resolve();
      }
      await loop;
    },
    assertLive(sessionId) {
      const at = now();
      if (at - syncedAt > options.maxStalenessMs) {
        throw serviceUnavailable(
          'auth.revocations_unavailable',
          'Whether this session has ended cannot be checked right now.',
          { headers: { 'Retry-After': '5' } },
        );
      }
      const until = ended.get(sessionId);
      if (until !== undefined && until > at) throw invalidAccessToken('This session has ended.');
    },
    get size() {
      return ended.size;
    },
  };
}

/** What `revocationConnection` needs of an ioredis client: `duplicate` and error events. */
interface Duplicable<T> {
  duplicate(options: Record<string, unknown>): T;
}

/**
 * The reader's own connection (`redis.duplicate`): its blocking XREAD would stall anything
 * sharing it. No offline queue and no resend after a reconnect (a read the loop gave up on must
 * not come back behind it); the command timeout outlasts one blocking read.
 */
export function revocationConnection<
  T extends RevocationStreamConnection & { on(event: 'error', listener: (e: Error) => void): T },
>(redis: Duplicable<T>, logger: Logger, blockMs = 2_000): T {
  const connection = redis.duplicate({
    lazyConnect: true,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    commandTimeout: blockMs + 3_000,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 1_000),
  });
  connection.on('error', (error: Error) =>
    logger.debug({ err: error }, 'revocation stream Redis connection error'),
  );
  return connection;
}
