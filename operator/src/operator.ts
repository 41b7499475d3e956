// Assembles the operator: HTTP endpoints, leader election and the controller, which starts only
// on the leader. main.ts runs it as a process; tests run it in-process with their own config.
import type { Server } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '@ums/service-kit/logger';
import type { OperatorConfig } from './config.ts';
import { Controller } from './controller/controller.ts';
import { createOperatorServer, listen } from './runtime/http-server.ts';
import { LeaderElector } from './runtime/leader-election.ts';
import { createOperatorMetrics } from './runtime/metrics.ts';
import type { OperatorMetrics } from './runtime/metrics.ts';

export interface Operator {
  controller: Controller;
  metrics: OperatorMetrics;
  isLeader: () => boolean;
  /** Port of the HTTP server once started. */
  port: () => number;
  start: () => Promise<void>;
  stop: () => Promise<void>;
}

export interface OperatorOptions {
  config: OperatorConfig;
  kubeConfig: KubeConfig;
  logger: Logger;
  /** Called when a leader can no longer renew its Lease; main.ts exits the process. */
  onLostLease: () => void;
  /** Process-wide default metrics (off in tests that run several operators in one process). */
  defaultMetrics?: boolean;
}

export function createOperator(options: OperatorOptions): Operator {
  const { config, kubeConfig, logger } = options;
  const metrics = createOperatorMetrics(options.defaultMetrics ?? true);
  const controller = new Controller({
    kubeConfig,
    logger,
    metrics,
    identity: config.POD_NAME,
    concurrency: config.CONCURRENCY,
    resyncMs: config.RESYNC_SECONDS * 1000,
    backoffBaseMs: config.BACKOFF_BASE_MS,
    backoffMaxMs: config.BACKOFF_MAX_MS,
    monitoringRecheckMs: config.MONITORING_RECHECK_SECONDS * 1000,
    ...(config.WATCH_NAMESPACE ? { namespace: config.WATCH_NAMESPACE } : {}),
  });
  let leading = !config.LEADER_ELECT;
  let controllerFailed = false;
  const startController = () => {
    leading = true;
    metrics.leader.set(1);
    controller.start().catch((err: unknown) => {
      controllerFailed = true;
      logger.error({ error: String(err) }, 'controller failed to start');
    });
  };
  const elector = config.LEADER_ELECT
    ? new LeaderElector({
        kubeConfig,
        logger,
        namespace: config.POD_NAMESPACE,
        name: config.LEASE_NAME,
        identity: config.POD_NAME,
        leaseDurationMs: config.LEASE_DURATION_MS,
        renewDeadlineMs: config.RENEW_DEADLINE_MS,
        retryPeriodMs: config.RETRY_PERIOD_MS,
        onStartedLeading: startController,
        onStoppedLeading: () => {
          leading = false;
          metrics.leader.set(0);
          void controller.stop();
          options.onLostLease();
        },
      })
    : undefined;
  const server: Server = createOperatorServer(metrics.registry, {
    healthy: () => !controllerFailed,
    // A standby is ready: it is up and waiting to lead. A leader is ready once its caches are full.
    ready: () => !leading || controller.caches.synced,
  });
  let port = 0;
  let electing: Promise<void> | undefined;
  return {
    controller,
    metrics,
    isLeader: () => leading,
    port: () => port,
    async start() {
      port = await listen(server, config.HTTP_PORT, config.HTTP_HOST);
      logger.info({ port, leaderElection: Boolean(elector) }, 'operator started');
      if (elector) {
        electing = elector.run().catch((err: unknown) => {
          logger.error(
            { error: err instanceof Error ? err.message : String(err) },
            'leader election failed',
          );
          options.onLostLease();
        });
      } else startController();
    },
    async stop() {
      // Finish in-flight reconciles before giving the Lease up, so two replicas never write at
      // once; the standby then takes over at once instead of waiting for the Lease to expire.
      await controller.stop();
      await elector?.stop();
      await electing;
      leading = false;
      metrics.leader.set(0);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
