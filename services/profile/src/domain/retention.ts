import type { Logger } from '@ums/service-kit/logger';

/**
 * Deletes audit entries past their `expiresAt`. MongoDB and DocumentDB do this with the TTL
 * index as well; FerretDB has no TTL indexes, so this job is what enforces retention there. Both
 * together are harmless: whichever runs first deletes, the other finds nothing.
 */
export function createRetentionPurge(deps: {
  purge: (now: Date) => Promise<number>;
  intervalMs: number;
  logger: Logger;
}) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function runOnce(now = new Date()): Promise<number> {
    const deleted = await deps.purge(now);
    if (deleted > 0) deps.logger.info({ deleted }, 'expired audit entries purged');
    return deleted;
  }

  const tick = () => {
    running = runOnce()
      .then(() => undefined)
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'retention purge failed'))
      .finally(() => (running = undefined));
  };

  return {
    name: 'retention-purge',
    runOnce,
    start() {
      if (timer) return;
      tick();
      timer = setInterval(tick, deps.intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
