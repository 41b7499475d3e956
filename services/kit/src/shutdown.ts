import type { Server, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from './logger.ts';

export interface Closer {
  name: string;
  close: () => Promise<unknown>;
}

export interface ShutdownOptions {
  server: Server;
  logger: Logger;
  /** Deadline for in-flight requests; after it connections are cut and the exit code is 1. */
  timeoutMs: number;
  /** Called first, typically `health.setShuttingDown` so readiness turns 503. */
  onDraining?: () => void;
  /**
   * Wait between `onDraining` and closing the listener, so load balancers see the failing
   * readiness (or endpoint removal) before connections start being refused. Default 0.
   */
  drainDelayMs?: number;
  /** Run in order after the server has closed: DB pools, Redis, tracing... */
  closers?: Closer[];
  /** A closer still pending after this long is logged as failed and skipped. Default `timeoutMs`. */
  closerTimeoutMs?: number;
  /** Default `process.exit`. */
  exit?: (code: number) => void;
}

export interface Shutdown {
  /** Starts shutdown once; later calls return the same promise. */
  shutdown: (signal?: string) => Promise<void>;
  install: (signals?: NodeJS.Signals[]) => void;
}

const IDLE_SWEEP_MS = 100;

export function createShutdown(options: ShutdownOptions): Shutdown {
  const { server, logger } = options;
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  let running: Promise<void> | undefined;

  // Responses still being produced when draining starts get `Connection: close`, so their
  // keep-alive sockets end with the response instead of lingering until the deadline.
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (draining) markClose(res);
    else {
      inFlight.add(res);
      res.once('close', () => inFlight.delete(res));
    }
  });

  async function run(signal: string | undefined): Promise<void> {
    logger.info({ signal }, 'shutdown started');
    options.onDraining?.();
    if (options.drainDelayMs) await sleep(options.drainDelayMs);
    draining = true;
    for (const res of inFlight) markClose(res);
    const graceful = await closeServer(server, options.timeoutMs);
    if (!graceful)
      logger.error({ timeoutMs: options.timeoutMs }, 'shutdown deadline hit; connections were cut');
    await runClosers(options.closers ?? [], options.closerTimeoutMs ?? options.timeoutMs, logger);
    logger.info({ signal, graceful }, 'shutdown complete');
    // pino writes asynchronously; exiting first would drop the last lines.
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    (options.exit ?? ((code) => process.exit(code)))(graceful ? 0 : 1);
  }

  function shutdown(signal?: string): Promise<void> {
    return (running ??= run(signal));
  }

  return {
    shutdown,
    install: (signals = ['SIGTERM', 'SIGINT']) => {
      for (const signal of signals) {
        process.on(signal, () => {
          if (running) logger.warn({ signal }, 'shutdown already in progress');
          void shutdown(signal);
        });
      }
    },
  };
}

function markClose(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('Connection', 'close');
}

/** Resolves true when every connection ended by itself, false when the deadline cut them. */
function closeServer(server: Server, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let graceful = true;
    // Keep-alive sockets become idle whenever a response finishes; sweep them as they do.
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const deadline = setTimeout(() => {
      graceful = false;
      server.closeAllConnections();
    }, timeoutMs);
    // ERR_SERVER_NOT_RUNNING just means it was already closed.
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve(graceful);
    });
    server.closeIdleConnections();
  });
}

async function runClosers(closers: Closer[], timeoutMs: number, logger: Logger): Promise<void> {
  for (const closer of closers) {
    const timeout = new AbortController();
    try {
      // A hung closer must not keep the process alive until the kubelet's SIGKILL.
      await Promise.race([
        closer.close(),
        sleep(timeoutMs, undefined, { signal: timeout.signal }).then(() => {
          throw new Error(`closer did not finish within ${timeoutMs}ms`);
        }),
      ]);
      logger.info({ closer: closer.name }, 'closed');
    } catch (err) {
      logger.error({ err, closer: closer.name }, 'closer failed');
    } finally {
      timeout.abort();
    }
  }
}
