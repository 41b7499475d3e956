import type { Express } from 'express';
import { ConfigError } from './config.ts';
import type { Health } from './health.ts';
import { createLogger, type Logger } from './logger.ts';
import { createShutdown } from './shutdown.ts';
import type { Tracing } from './tracing.ts';

interface ServiceConfig {
  SERVICE_NAME: string;
  LOG_LEVEL: Parameters<typeof createLogger>[0]['level'];
  HOST: string;
  PORT: number;
  SHUTDOWN_TIMEOUT_MS: number;
  SHUTDOWN_DRAIN_DELAY_MS?: number;
}

interface ServiceContainer {
  health: Pick<Health, 'setShuttingDown'>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A service's `main`: load config, build the container (every service and background task) and
 * the app, `start()` the container, listen, and drain on SIGTERM/SIGINT. Any
 * configuration error, at load or while the app is built, ends the process with a readable message.
 */
export async function runService<C extends ServiceConfig, K extends ServiceContainer>(options: {
  /** Named in start-up errors, before the configuration (and SERVICE_NAME) could be read. */
  name: string;
  loadConfig: () => C;
  createContainer: (config: C, logger: Logger) => K;
  createApp: (container: K) => Express;
  tracing?: Tracing;
}): Promise<void> {
  let config: C | undefined;
  let logger: Logger | undefined;
  let container: K | undefined;
  let app: Express | undefined;
  try {
    config = options.loadConfig();
    logger = createLogger({ name: config.SERVICE_NAME, level: config.LOG_LEVEL });
    container = options.createContainer(config, logger);
    app = options.createApp(container);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${options.name}: refusing to start.\n${error.message}\n`);
    process.exit(1);
  }
  await container.start();
  const { HOST, PORT, SERVICE_NAME } = config;
  const log = logger;
  const server = app.listen(PORT, HOST, () =>
    log.info({ port: PORT, host: HOST }, `${SERVICE_NAME} service listening`),
  );
  const tracing = options.tracing;
  createShutdown({
    server,
    logger,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    drainDelayMs: config.SHUTDOWN_DRAIN_DELAY_MS,
    onDraining: container.health.setShuttingDown,
    closers: [
      { name: SERVICE_NAME, close: () => (container as K).stop() },
      ...(tracing ? [{ name: 'tracing', close: () => tracing.shutdown() }] : []),
    ],
  }).install();
}
