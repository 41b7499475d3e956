import type { AppError } from './errors.ts';
import {
  createSessionRevocations,
  revocationEntryArgs,
  revocationStreamOf,
  type RevocationStreamConnection,
} from './session-revocations.ts';
import { captureLogger } from './test/test-support.ts';

// The reader's bookkeeping against a scripted connection (the real Redis path is covered by the
// auth service's ended-sessions.test.ts and the profile service's revoked-sessions.test.ts).

type Entry = [string, string[]];

function scriptedConnection() {
  const stream: Entry[] = [];
  let down = false;
  let waiter: (() => void) | undefined;
  let seq = 0;
  const connection: RevocationStreamConnection = {
    status: 'ready',
    connect: async () => undefined,
    async call(command, ...args) {
      if (down) throw new Error('Connection is closed.');
      if (command === 'XRANGE') return stream.slice();
      const from = String(args.at(-1));
      const newer = () => stream.filter(([id]) => Number(id) > Number(from.split('-')[0]));
      if (newer().length === 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Number(args[3]));
          waiter = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      if (down) throw new Error('Connection is closed.');
      const found = newer();
      return found.length ? ['s', found] : null;
    },
    disconnect() {
      down = true;
      waiter?.();
    },
  };
  return {
    connection,
    add(sid: string, until: number) {
      seq += 1;
      stream.push([String(seq), ['sid', sid, 'until', String(until)]]);
      waiter?.();
    },
    fail() {
      down = true;
      waiter?.();
    },
  };
}

const code = (fn: () => void) => {
  try {
    fn();
    return 'live';
  } catch (error) {
    return (error as AppError).code;
  }
};

describe('session revocations (in-memory copy of the stream)', () => {
  it('when an entry arrives, then its session is refused at once and others are not', async () => {
    const redis = scriptedConnection();
    redis.add('old', Date.now() + 60_000);
    const revocations = createSessionRevocations({
      connection: redis.connection,
      stream: 's',
      maxStalenessMs: 5_000,
      logger: captureLogger().logger,
    });
    revocations.start();
    expect(await revocations.ready(1_000)).toBe(true);
    expect(code(() => revocations.assertLive('old'))).toBe('auth.invalid_token');
    expect(code(() => revocations.assertLive('new'))).toBe('live');
    redis.add('new', Date.now() + 60_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(code(() => revocations.assertLive('new'))).toBe('auth.invalid_token');
    await revocations.stop();
  });

  it('when an entry is past its until, then it is forgotten (a token of that session has expired anyway)', async () => {
    let now = 1_000_000;
    const redis = scriptedConnection();
    redis.add('gone', now + 100);
    const revocations = createSessionRevocations({
      connection: redis.connection,
      stream: 's',
      maxStalenessMs: 5_000,
      blockMs: 10,
      logger: captureLogger().logger,
      now: () => now,
    });
    revocations.start();
    await revocations.ready(1_000);
    expect(revocations.size).toBe(1);
    now += 200;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(revocations.size).toBe(0);
    expect(code(() => revocations.assertLive('gone'))).toBe('live');
    await revocations.stop();
  });

  it('when nothing was ever read, or the last read is older than the grace, then 503 (fail closed)', async () => {
    let now = 5_000_000;
    const redis = scriptedConnection();
    const logs = captureLogger();
    const revocations = createSessionRevocations({
      connection: redis.connection,
      stream: 's',
      maxStalenessMs: 1_000,
      logger: logs.logger,
      now: () => now,
    });
    expect(code(() => revocations.assertLive('any'))).toBe('auth.revocations_unavailable');
    revocations.start();
    await revocations.ready(1_000);
    expect(code(() => revocations.assertLive('any'))).toBe('live');
    redis.fail();
    await new Promise((resolve) => setTimeout(resolve, 20));
    now += 900;
    expect(code(() => revocations.assertLive('any'))).toBe('live');
    now += 200;
    expect(code(() => revocations.assertLive('any'))).toBe('auth.revocations_unavailable');
    expect(logs.records().filter((r) => r.level === 'warn')).toHaveLength(1);
    await revocations.stop();
  });

  it('when the relay writes an entry, then it trims by age and names the session and its end', () => {
    expect(revocationStreamOf('ums:events')).toBe('ums:events:revoked-sessions');
    expect(revocationEntryArgs('sid-1', 5_000, 3_000, 1_000)).toEqual([
      'MINID',
      '~',
      2_000,
      '*',
      'sid',
      'sid-1',
      'until',
      5_000,
    ]);
  });
});
