// The operator's Prometheus metrics, in a private registry (as @ums/service-kit/metrics does),
// so several operators in one test process do not collide.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { reconcileErrorReasons } from './kube-errors.ts';

export interface OperatorMetrics {
  registry: Registry;
  reconcileTotal: Counter<'result'>;
  reconcileDuration: Histogram<'result'>;
  reconcileErrors: Counter<'reason'>;
  queueDepth: Gauge;
  queueAdds: Counter;
  queueRetries: Counter;
  writes: Counter<'kind' | 'verb'>;
  leader: Gauge;
  /** Per instance; labels avoid `namespace`, which Prometheus sets to the operator's own. */
  instanceReady: Gauge<'instance_namespace' | 'instance_name'>;
}

export function createOperatorMetrics(defaults = true): OperatorMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service_name: 'ums-operator' });
  if (defaults) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics: OperatorMetrics = {
    registry,
    reconcileTotal: new Counter({
      name: 'ums_operator_reconcile_total',
      help: 'Reconciles by result: success, requeue (waiting on something), error.',
      labelNames: ['result'] as const,
      registers,
    }),
    reconcileDuration: new Histogram({
      name: 'ums_operator_reconcile_duration_seconds',
      help: 'Time one reconcile of one instance takes.',
      labelNames: ['result'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    reconcileErrors: new Counter({
      name: 'ums_operator_reconcile_errors_total',
      help: 'Failed reconciles by reason.',
      labelNames: ['reason'] as const,
      registers,
    }),
    queueDepth: new Gauge({
      name: 'ums_operator_workqueue_depth',
      help: 'Instances waiting to be reconciled.',
      registers,
    }),
    queueAdds: new Counter({
      name: 'ums_operator_workqueue_adds_total',
      help: 'Keys added to the work queue.',
      registers,
    }),
    queueRetries: new Counter({
      name: 'ums_operator_workqueue_retries_total',
      help: 'Keys re-added with backoff after a failure.',
      registers,
    }),
    writes: new Counter({
      name: 'ums_operator_api_writes_total',
      help: 'Write requests sent to the API server, by kind and verb.',
      labelNames: ['kind', 'verb'] as const,
      registers,
    }),
    leader: new Gauge({
      name: 'ums_operator_leader',
      help: '1 while this process holds the leader Lease.',
      registers,
    }),
    instanceReady: new Gauge({
      name: 'ums_operator_instance_ready',
      help: "1 while the instance's Ready condition is True, 0 otherwise; as of its last reconcile.",
      labelNames: ['instance_namespace', 'instance_name'] as const,
      registers,
    }),
  };
  // Every label value known up front, at 0: a rate over them is 0, not "no data", before the
  // first failure.
  for (const reason of reconcileErrorReasons) metrics.reconcileErrors.inc({ reason }, 0);
  for (const result of ['success', 'requeue', 'error']) metrics.reconcileTotal.inc({ result }, 0);
  return metrics;
}

/** Total write requests so far, for tests that prove a reconcile wrote nothing. */
export async function totalWrites(metrics: OperatorMetrics): Promise<number> {
  const { values } = await metrics.writes.get();
  return values.reduce((sum, v) => sum + v.value, 0);
}

/** Records an instance's Ready condition after a reconcile (undefined: nothing computed). */
export function recordInstanceReady(
  metrics: OperatorMetrics,
  namespace: string,
  name: string,
  ready: boolean | undefined,
): void {
  if (ready === undefined) return;
  metrics.instanceReady.set({ instance_namespace: namespace, instance_name: name }, ready ? 1 : 0);
}

/** Drops a deleted instance's series, so no 0 is left behind for an alert to fire on. */
export function forgetInstance(metrics: OperatorMetrics, namespace: string, name: string): void {
  metrics.instanceReady.remove({ instance_namespace: namespace, instance_name: name });
}
