// The gateway process, started by main.ts once tracing is in place. Wiring only; the logic lives
// in the modules.
import type { Server } from 'node:http';
import type { Tracing } from '@ums/service-kit/tracing';
import type { GatewayConfig } from './config.ts';
import { GatewayConfigError, parseGatewayConfig, UPSTREAM_ENV } from './config.ts';
import { createGateway } from './create-gateway.ts';
import type { GatewayLogger } from './logger.ts';
import { createJsonLogger } from './logger.ts';
import { listen, serverUrl, shutdownServer } from './server-lifecycle.ts';

// In-flight requests get 4 s, so the process is gone well within the 5 s callers wait for.
const SHUTDOWN_GRACE_MS = 4_000;

function exitWith(message: string): never {
  process.stderr.write(`gateway: ${message}\n`);
  process.exit(1);
}

function readConfig(): GatewayConfig {
  try {
    return parseGatewayConfig(process.env);
  } catch (error) {
    if (error instanceof GatewayConfigError) exitWith(error.message);
    throw error;
  }
}

async function start(config: GatewayConfig, logger: GatewayLogger): Promise<Server> {
  try {
    return await listen(
      createGateway({ upstreams: config.upstreams, sourceAddress: config.sourceAddress, logger }),
      config.host,
      config.port,
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    exitWith(`cannot listen on ${config.host}:${config.port}: ${reason}`);
  }
}

function describeUpstreams(config: GatewayConfig): string {
  return UPSTREAM_ENV.map(([name, variable]) => {
    const origin = config.upstreams[name];
    return `  ${name.padEnd(8)} ${origin ?? `not configured (set ${variable})`}`;
  }).join('\n');
}

function stopOnSignals(server: Server, logger: GatewayLogger, tracing?: Tracing): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    // A second Ctrl-C means "now", not "wait for the grace period again".
    if (stopping) process.exit(1);
    stopping = true;
    logger.info('shutting down', { signal });
    const graceful = await shutdownServer(server, SHUTDOWN_GRACE_MS);
    logger.info('stopped', { graceful });
    // Spans of the last requests go out before the process does.
    await tracing?.shutdown().catch(() => undefined);
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop(signal));
}

export async function serveGateway(tracing?: Tracing): Promise<void> {
  const config = readConfig();
  const logger = createJsonLogger((line) => process.stdout.write(line));
  const server = await start(config, logger);
  process.stdout.write(
    `UMS gateway listening on ${serverUrl(server)}\n${describeUpstreams(config)}${
      tracing ? '\n  tracing  on (OTEL_EXPORTER_OTLP_ENDPOINT)' : ''
    }\n`,
  );
  stopOnSignals(server, logger, tracing);
}
