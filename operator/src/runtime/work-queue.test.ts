import { runWorkers, WorkQueue } from './work-queue.ts';

const options = { baseDelayMs: 10, maxDelayMs: 80 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('when a key is added many times before it is processed, then it is processed once', async () => {
  const queue = new WorkQueue(options);
  for (let i = 0; i < 5; i += 1) queue.add('ns/a');
  queue.add('ns/b');
  expect(queue.depth).toBe(2);
  expect(await queue.get()).toBe('ns/a');
  expect(await queue.get()).toBe('ns/b');
});

test('when a key is added while it is being processed, then it is processed again afterwards, never concurrently', async () => {
  const queue = new WorkQueue(options);
  queue.add('ns/a');
  const key = await queue.get();
  queue.add('ns/a');
  expect(queue.depth).toBe(0);
  queue.done(key ?? '');
  expect(queue.depth).toBe(1);
  expect(await queue.get()).toBe('ns/a');
});

test('when a key keeps failing, then its retry delay doubles up to the maximum and a success resets it', () => {
  const queue = new WorkQueue(options);
  const delays = [1, 2, 3, 4, 5].map(() => queue.addRateLimited('ns/a'));
  expect(delays).toEqual([10, 20, 40, 80, 80]);
  queue.forget('ns/a');
  expect(queue.addRateLimited('ns/a')).toBe(10);
  queue.shutDown();
});

test('when a key is added with two delays, then the earlier one wins', async () => {
  const queue = new WorkQueue(options);
  queue.addAfter('ns/a', 5000);
  queue.addAfter('ns/a', 20);
  await sleep(60);
  expect(queue.depth).toBe(1);
  queue.shutDown();
});

test('when workers run, then at most `concurrency` keys are processed at once and each key by one worker at a time', async () => {
  const queue = new WorkQueue(options);
  let active = 0;
  let peak = 0;
  const perKey = new Map<string, number>();
  const seen: string[] = [];
  const workers = runWorkers(queue, 3, async (key) => {
    active += 1;
    perKey.set(key, (perKey.get(key) ?? 0) + 1);
    expect(perKey.get(key)).toBe(1);
    peak = Math.max(peak, active);
    seen.push(key);
    await sleep(15);
    perKey.set(key, (perKey.get(key) ?? 1) - 1);
    active -= 1;
  });
  for (let i = 0; i < 10; i += 1) queue.add(`ns/${i}`);
  queue.add('ns/0');
  await sleep(5);
  queue.add('ns/0');
  await queue.idle();
  queue.shutDown();
  await workers;
  expect(peak).toBe(3);
  expect(new Set(seen).size).toBe(10);
  expect(seen.filter((k) => k === 'ns/0')).toHaveLength(2);
});
