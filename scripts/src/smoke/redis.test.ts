import { Redis } from 'ioredis';
import { requireEnv, uniqueSuffix } from './env.ts';

describe('Redis smoke test', () => {
  const redis = new Redis(requireEnv('REDIS_URL'), { maxRetriesPerRequest: 2 });
  const prefix = `smoke:${uniqueSuffix()}`;

  afterAll(async () => {
    await redis.del(`${prefix}:key`, `${prefix}:stream`);
    redis.disconnect();
  });

  it('when a value is set with a TTL, then it reads back and expires on schedule', async () => {
    await redis.set(`${prefix}:key`, 'value', 'PX', 60_000);
    expect(await redis.get(`${prefix}:key`)).toBe('value');
    expect(await redis.pttl(`${prefix}:key`)).toBeGreaterThan(0);
  });

  it('when an entry is added to a stream, then a consumer group reads and acknowledges it', async () => {
    const stream = `${prefix}:stream`;
    const id = await redis.xadd(stream, '*', 'type', 'user.registered', 'id', 'evt-1');
    await redis.xgroup('CREATE', stream, 'smoke', '0');
    const read = (await redis.xreadgroup(
      'GROUP',
      'smoke',
      'c1',
      'COUNT',
      10,
      'STREAMS',
      stream,
      '>',
    )) as [string, [string, string[]][]][] | null;
    expect(read?.[0]?.[1]?.[0]?.[0]).toBe(id);
    expect(read?.[0]?.[1]?.[0]?.[1]).toEqual(['type', 'user.registered', 'id', 'evt-1']);
    expect(await redis.xack(stream, 'smoke', id as string)).toBe(1);
  });

  it('when asked its version, then it is Redis 7 or newer', async () => {
    const info = await redis.info('server');
    const version = /redis_version:(\d+)/.exec(info)?.[1];
    expect(Number(version)).toBeGreaterThanOrEqual(7);
  });
});
