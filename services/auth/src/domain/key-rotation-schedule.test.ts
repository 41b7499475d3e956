import { jest } from '@jest/globals';
import { captureLogger } from '@ums/service-kit/test/test-support';
import { createTestAuth, type TestAuth } from '../test/harness.ts';
import { createSealer } from './crypto.ts';
import { createPeriodicTask, rotationCheckIntervalMs } from './key-rotation-schedule.ts';
import { createSigningKeys } from './signing-keys.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('periodic background tasks', () => {
  it('when started, then it runs at once and on every interval until stopped, never overlapping itself', async () => {
    let active = 0;
    let maxActive = 0;
    const run = jest.fn(async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await sleep(30);
      active--;
    });
    const task = createPeriodicTask({
      name: 'test',
      intervalMs: 10,
      logger: captureLogger().logger,
      run,
      runAtStart: true,
    });
    task.start();
    task.start(); // a second start is a no-op
    await sleep(120);
    await task.stop();
    const calls = run.mock.calls.length;
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(maxActive).toBe(1);
    await sleep(50);
    expect(run.mock.calls.length).toBe(calls);
  });

  it('when a run fails, then the failure is logged and the next interval runs again', async () => {
    const logs = captureLogger('debug');
    const run = jest
      .fn<() => Promise<void>>()
      .mockRejectedValueOnce(new Error('database restarting'))
      .mockResolvedValue(undefined);
    const task = createPeriodicTask({
      name: 'flaky',
      intervalMs: 10,
      logger: logs.logger,
      run,
      runAtStart: true,
    });
    task.start();
    await sleep(60);
    await task.stop();
    expect(run.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(logs.records().some((r) => r.task === 'flaky' && r.level === 'warn')).toBe(true);
  });

  it('when stopped during a run, then stop waits for that run to finish', async () => {
    let finished = false;
    const task = createPeriodicTask({
      name: 'slow',
      intervalMs: 60_000,
      logger: captureLogger().logger,
      runAtStart: true,
      run: async () => {
        await sleep(50);
        finished = true;
      },
    });
    task.start();
    await task.stop();
    expect(finished).toBe(true);
  });

  it('when the rotation interval is a month, then the schedule checks hourly; when it is a second, every second', () => {
    expect(rotationCheckIntervalMs(30 * 24 * 3600)).toBe(3_600_000);
    expect(rotationCheckIntervalMs(1)).toBe(1_000);
  });
});

describe('scheduled signing-key rotation', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth({ KEY_ROTATION_INTERVAL: '1' });
  });
  afterAll(async () => t.close());

  const keyRows = async () =>
    (
      await t.container.db.query<{ kid: string; retired_at: Date | null; expires_at: Date | null }>(
        'SELECT kid, retired_at, expires_at FROM signing_keys ORDER BY created_at',
      )
    ).rows;

  it('when the registered task runs past the rotation interval, then a new key signs and the old one stays published for a token lifetime', async () => {
    const task = t.container.background.find((b) => b.name === 'signing-key-rotation');
    if (!task) throw new Error('the rotation schedule is not registered');
    const [first] = await keyRows();
    task.start();
    await sleep(2_300);
    await task.stop();

    const rows = await keyRows();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.filter((r) => r.retired_at === null)).toHaveLength(1);
    const retired = rows.find((r) => r.kid === first?.kid);
    expect(retired?.retired_at).toBeInstanceOf(Date);
    const published =
      ((retired?.expires_at?.getTime() ?? 0) - (retired?.retired_at?.getTime() ?? 0)) / 1000;
    expect(published).toBeCloseTo(t.config.ACCESS_TOKEN_TTL + 60, 0);
    expect((await t.container.keys.currentSigner()).kid).toBe(rows.at(-1)?.kid);
  });

  it('when two replicas find the key due at the same moment, then only one of them rotates', async () => {
    await t.container.db.query(
      "UPDATE signing_keys SET created_at = now() - interval '1 hour' WHERE retired_at IS NULL",
    );
    const replica = () =>
      createSigningKeys({
        db: t.container.db,
        sealer: createSealer(t.config.TOKEN_KEK, 'signing-keys'),
        accessTokenTtl: t.config.ACCESS_TOKEN_TTL,
        rotationInterval: 3600,
      });
    const before = (await keyRows()).length;
    const results = await Promise.all([
      replica().rotateIfDue(),
      replica().rotateIfDue(),
      replica().rotateIfDue(),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await keyRows()).length).toBe(before + 1);
  });
});
