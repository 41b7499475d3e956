/**
 * Memoizes an async loader for `ttlMs`, sharing one in-flight load between concurrent callers.
 * Only the call that triggers a load passes its arguments on (e.g. a request id for tracing).
 * Failures are not cached, so the next caller retries immediately.
 */
export function createTtlCache<A extends unknown[], T>(
  load: (...args: A) => Promise<T>,
  ttlMs: number,
  now: () => number = () => performance.now(),
): (...args: A) => Promise<T> {
  let cached: { value: Promise<T>; loadedAt: number } | undefined;
  return (...args: A) => {
    if (cached && now() - cached.loadedAt < ttlMs) return cached.value;
    const entry = { value: load(...args), loadedAt: now() };
    cached = entry;
    entry.value.catch(() => {
      if (cached === entry) cached = undefined;
    });
    return entry.value;
  };
}
