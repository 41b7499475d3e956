import { jest } from '@jest/globals';
import { createTtlCache } from './ttl-cache.ts';

describe('createTtlCache', () => {
  test('when called within the TTL, then the loader runs once and concurrent calls share it', async () => {
    let clock = 0;
    const loader = jest.fn(async (tag: string) => tag);
    const cached = createTtlCache(loader, 5_000, () => clock);
    const [a, b] = await Promise.all([cached('first'), cached('second')]);
    clock = 4_999;
    expect([a, b, await cached('third')]).toEqual(['first', 'first', 'first']);
    expect(loader).toHaveBeenCalledTimes(1);
  });

  test('when the TTL has passed, then the loader runs again with the new caller arguments', async () => {
    let clock = 0;
    const cached = createTtlCache(
      async (tag: string) => tag,
      5_000,
      () => clock,
    );
    await cached('first');
    clock = 5_000;
    expect(await cached('second')).toBe('second');
  });

  test('when the loader fails, then the failure is not cached', async () => {
    const loader = jest
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new Error('boom'))
      .mockResolvedValueOnce('ok');
    const cached = createTtlCache(loader, 5_000, () => 0);
    await expect(cached()).rejects.toThrow('boom');
    await expect(cached()).resolves.toBe('ok');
  });
});
