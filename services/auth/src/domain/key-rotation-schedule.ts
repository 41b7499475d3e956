import type { Logger } from '@ums/service-kit/logger';
import type { SigningKeys } from './signing-keys.ts';

/** The shape `container.background` holds: started by `container.start()`, stopped by `stop()`. */
export interface BackgroundTask {
  name: string;
  start: () => void;
  stop: () => Promise<void>;
}

/**
 * Runs `run` every `intervalMs` without overlapping itself. The timer is unref'd so it never keeps
 * the process alive, failures are logged and retried at the next tick, and `stop()` waits for a
 * run in progress so the database pool is not closed under it.
 */
export function createPeriodicTask(options: {
  name: string;
  intervalMs: number;
  logger: Logger;
  run: () => Promise<unknown>;
  runAtStart?: boolean;
}): BackgroundTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  function tick(): void {
    if (running) return;
    running = options
      .run()
      .then(
        () => undefined,
        (error: unknown) =>
          options.logger.warn(
            { err: error, task: options.name },
            'background task failed; retrying at the next interval',
          ),
      )
      .finally(() => {
        running = undefined;
      });
  }

  return {
    name: options.name,
    start() {
      if (timer) return;
      timer = setInterval(tick, options.intervalMs);
      timer.unref();
      if (options.runAtStart) tick();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}

// Checking more often than hourly buys nothing for monthly rotation; short intervals (tests,
// aggressive policies) are checked at their own pace.
const MAX_CHECK_INTERVAL_MS = 3_600_000;

/** How often to ask whether the signing key is due: the rotation interval, at most hourly. */
export function rotationCheckIntervalMs(rotationIntervalSeconds: number): number {
  return Math.min(rotationIntervalSeconds * 1000, MAX_CHECK_INTERVAL_MS);
}

/**
 * Automatic signing-key rotation: every check asks `rotateIfDue()`, which rotates once the active
 * key is older than the rotation interval (safe with many replicas: the check is repeated under
 * the key lock, so only one of them rotates).
 */
export function keyRotationTask(deps: {
  keys: Pick<SigningKeys, 'rotateIfDue'>;
  intervalMs: number;
  logger: Logger;
}): BackgroundTask {
  return createPeriodicTask({
    name: 'signing-key-rotation',
    intervalMs: deps.intervalMs,
    logger: deps.logger,
    runAtStart: true,
    run: async () => {
      if (await deps.keys.rotateIfDue()) deps.logger.info('signing key rotated on schedule');
    },
  });
}
