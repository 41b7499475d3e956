import { ConfigError } from '@ums/service-kit/config';
import { createLogger } from '@ums/service-kit/logger';
import { createShutdown } from '@ums/service-kit/shutdown';
import { createAuthApp } from './app.ts';
import { loadAuthConfig } from './config.ts';
import { createContainer } from './container.ts';

/** Configuration problems (including OIDC_PROVIDERS, parsed while the app is built) end the process with a readable message. */
function refuseToStart(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`auth: refusing to start.\n${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadAuthConfig();
  } catch (error) {
    refuseToStart(error);
  }
  const logger = createLogger({ name: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const container = createContainer(config, logger);
  let app;
  try {
    // The app first: building the route table registers the features' background tasks.
    app = createAuthApp(container);
  } catch (error) {
    refuseToStart(error);
  }
  await container.start();
  const server = app.listen(config.PORT, config.HOST, () => {
    logger.info({ port: config.PORT, host: config.HOST }, 'auth service listening');
  });
  const { tracing } = await import('./instrumentation.ts');
  createShutdown({
    server,
    logger,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    onDraining: container.health.setShuttingDown,
    closers: [
      { name: 'auth', close: () => container.stop() },
      ...(tracing ? [{ name: 'tracing', close: () => tracing.shutdown() }] : []),
    ],
  }).install();
}

await main();
