// A per-key work queue in the manner of client-go's: a key waits in the queue at most once,
// one worker at a time processes it (adds during processing are replayed afterwards), failures
// are retried with per-key exponential backoff, and delayed adds keep only the earliest time.

export interface WorkQueueOptions {
  /** First retry delay after a failure. */
  baseDelayMs: number;
  /** Upper bound of the retry delay. */
  maxDelayMs: number;
  /** Called whenever the number of waiting keys changes. */
  onDepthChange?: (depth: number) => void;
}

export class WorkQueue {
  readonly #options: WorkQueueOptions;
  readonly #queue: string[] = [];
  readonly #dirty = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #failures = new Map<string, number>();
  readonly #timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  #waiters: ((key: string | undefined) => void)[] = [];
  #idleWaiters: (() => void)[] = [];
  #shuttingDown = false;

  constructor(options: WorkQueueOptions) {
    this.#options = options;
  }

  get depth(): number {
    return this.#queue.length;
  }

  add(key: string): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return;
    this.#dirty.add(key);
    if (this.#processing.has(key)) return;
    this.#push(key);
  }

  /** Adds `key` after `delayMs`; an earlier pending add for the key wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.#shuttingDown) return;
    if (delayMs <= 0) return this.add(key);
    const at = Date.now() + delayMs;
    const pending = this.#timers.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.#timers.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.#timers.set(key, { at, timer });
  }

  /** Retries `key` after a delay that doubles with each consecutive failure. */
  addRateLimited(key: string): number {
    const failures = (this.#failures.get(key) ?? 0) + 1;
    this.#failures.set(key, failures);
    const { baseDelayMs, maxDelayMs } = this.#options;
    const delay = Math.min(baseDelayMs * 2 ** (failures - 1), maxDelayMs);
    this.addAfter(key, delay);
    return delay;
  }

  /** Clears the failure count after a success. */
  forget(key: string): void {
    this.#failures.delete(key);
  }

  failures(key: string): number {
    return this.#failures.get(key) ?? 0;
  }

  /** The next key to process, or undefined once the queue shuts down. */
  async get(): Promise<string | undefined> {
    const key = this.#queue.shift();
    if (key !== undefined) return this.#start(key);
    if (this.#shuttingDown) return undefined;
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Marks `key` finished; if it was added meanwhile, it goes back into the queue. */
  done(key: string): void {
    this.#processing.delete(key);
    if (this.#dirty.has(key)) this.#push(key);
    this.#checkIdle();
  }

  /** Resolves when no key is waiting or being processed (delayed adds do not count). */
  async idle(): Promise<void> {
    if (this.#isIdle()) return;
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  shutDown(): void {
    this.#shuttingDown = true;
    for (const { timer } of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    for (const waiter of this.#waiters) waiter(undefined);
    this.#waiters = [];
  }

  #start(key: string): string {
    this.#dirty.delete(key);
    this.#processing.add(key);
    this.#options.onDepthChange?.(this.#queue.length);
    return key;
  }

  #push(key: string): void {
    const waiter = this.#waiters.shift();
    if (waiter) {
      waiter(this.#start(key));
      return;
    }
    this.#queue.push(key);
    this.#options.onDepthChange?.(this.#queue.length);
  }

  #isIdle(): boolean {
    return this.#queue.length === 0 && this.#processing.size === 0;
  }

  #checkIdle(): void {
    if (!this.#isIdle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** Runs `concurrency` workers that take keys from `queue` until it shuts down. */
export async function runWorkers(
  queue: WorkQueue,
  concurrency: number,
  handle: (key: string) => Promise<void>,
): Promise<void> {
  const worker = async () => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await handle(key);
      } finally {
        queue.done(key);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
