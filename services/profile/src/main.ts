import { ConfigError } from '@ums/service-kit/config';
import { createLogger } from '@ums/service-kit/logger';
import { createShutdown } from '@ums/service-kit/shutdown';
import { createProfileApp } from './app.ts';
import { loadProfileConfig } from './config.ts';
import { createContainer } from './container.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadProfileConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`profile: refusing to start.\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ name: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const container = createContainer(config, logger);
  const app = createProfileApp(container);
  await container.start();
  const server = app.listen(config.PORT, config.HOST, () => {
    logger.info({ port: config.PORT, host: config.HOST }, 'profile service listening');
  });
  // Already loaded by --import (same module instance); imported here only to flush on exit.
  const { tracing } = await import('./instrumentation.ts');
  createShutdown({
    server,
    logger,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    onDraining: container.health.setShuttingDown,
    closers: [
      { name: 'profile', close: () => container.stop() },
      ...(tracing ? [{ name: 'tracing', close: () => tracing.shutdown() }] : []),
    ],
  }).install();
}

await main();
