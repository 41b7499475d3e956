import { Router } from 'express';
import type { Logger } from './logger.ts';

export type HealthCheck = () => Promise<unknown>;

export interface HealthOptions {
  /** Readiness checks by name, e.g. `{ postgres: () => pool.query('select 1') }`. */
  checks?: Record<string, HealthCheck>;
  /** Per-check timeout. */
  timeoutMs?: number;
  /** When given, failing checks are logged at warn. */
  logger?: Logger;
}

export interface Health {
  router: Router;
  /** Makes /ready answer 503 so the load balancer stops routing here before the server closes. */
  setShuttingDown: () => void;
  /** Runs the checks once; what /ready reports. */
  runChecks: () => Promise<ReadinessReport>;
}

export type CheckResult = 'ok' | 'timeout' | (string & {});

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

class CheckTimeout extends Error {}

async function runCheck(check: HealthCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout()), timeoutMs);
  });
  // Wrapping in a promise chain also turns a synchronous throw into a rejection.
  const result = Promise.resolve().then(check);
  try {
    await Promise.race([result, timeout]);
    return 'ok';
  } catch (err) {
    if (err instanceof CheckTimeout) {
      result.catch(() => undefined); // it may still reject later; nobody is listening
      return 'timeout';
    }
    return err instanceof Error && err.message ? err.message : 'error';
  } finally {
    clearTimeout(timer);
  }
}

export function createHealth({
  checks = {},
  timeoutMs = 2000,
  logger,
}: HealthOptions = {}): Health {
  let shuttingDown = false;

  async function runChecks(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      Object.entries(checks).map(
        async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const,
      ),
    );
    const failed = entries.filter(([, result]) => result !== 'ok');
    if (failed.length > 0)
      logger?.warn({ checks: Object.fromEntries(failed) }, 'readiness check failed');
    return { ready: failed.length === 0, checks: Object.fromEntries(entries) };
  }

  const router = Router();
  router.use(['/health', '/ready'], (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // Liveness only says the event loop answers; dependencies belong in /ready, or an outage
  // of a shared database would make Kubernetes restart every pod at once.
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res) => {
    if (shuttingDown) {
      res.status(503).json({ status: 'shutting_down' });
      return;
    }
    const report = await runChecks();
    if (report.ready) res.json({ status: 'ready', checks: report.checks });
    else res.status(503).json({ status: 'not_ready', checks: report.checks });
  });

  return {
    router,
    runChecks,
    setShuttingDown: () => {
      shuttingDown = true;
    },
  };
}
