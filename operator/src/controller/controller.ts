// Wires informers to the work queue and the queue to reconcile(): any change to an instance or
// to one of its children queues the instance; workers reconcile distinct instances in parallel;
// a periodic resync queues every instance so drift in unwatched objects is repaired too.
import { randomBytes } from 'node:crypto';
import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '@ums/service-kit/logger';
import * as api from '../api/group.ts';
import { instanceSpecSchema } from '../api/instance-schema.ts';
import type { UserManagementInstance } from '../api/types.ts';
import { Applier } from '../runtime/apply.ts';
import { ApiDiscovery } from '../runtime/discovery.ts';
import { EventRecorder } from '../runtime/events.ts';
import { Caches } from '../runtime/informers.ts';
import type { CacheEvent } from '../runtime/informers.ts';
import { describeError } from '../runtime/kube-errors.ts';
import { instanceKind } from '../runtime/kinds.ts';
import type { KindInfo } from '../runtime/kinds.ts';
import { forgetInstance, recordInstanceReady } from '../runtime/metrics.ts';
import type { OperatorMetrics } from '../runtime/metrics.ts';
import type { WireObject } from '../runtime/wire.ts';
import { canonicalJson } from '../runtime/canonical-json.ts';
import { TtlSet } from '../runtime/ttl-set.ts';
import { runWorkers, WorkQueue } from '../runtime/work-queue.ts';
import type { ReconcileContext } from './context.ts';
import { InstanceApi } from './instance-api.ts';
import { reconcile } from './reconciler.ts';
import type { ReconcileFailure } from './reconciler.ts';

export interface ControllerOptions {
  kubeConfig: KubeConfig;
  namespace?: string;
  logger: Logger;
  metrics: OperatorMetrics;
  identity: string;
  concurrency: number;
  resyncMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long discovery answers are kept, and how often an instance waiting for the Prometheus Operator's CRDs is looked at again. */
  monitoringRecheckMs: number;
}

export class Controller {
  readonly queue: WorkQueue;
  readonly caches: Caches;
  readonly #options: ControllerOptions;
  readonly #applier: Applier;
  readonly #discovery: ApiDiscovery;
  readonly #core: CoreV1Api;
  readonly #instances: InstanceApi;
  readonly #events: EventRecorder;
  readonly #fingerprints = new Map<string, string>();
  readonly #statusMemo: ReconcileContext['statusMemo'] = new Map();
  // Generated Secrets are not watched (see docs/operator.md, "RBAC"); once seen, they are
  // re-read at most every few minutes, so a deleted one comes back within that time.
  readonly #knownSecrets = new TtlSet(5 * 60_000);
  #resync: NodeJS.Timeout | undefined;
  #workers: Promise<void> | undefined;

  constructor(options: ControllerOptions) {
    this.#options = options;
    const { kubeConfig, metrics, logger, namespace } = options;
    this.queue = new WorkQueue({
      baseDelayMs: options.backoffBaseMs,
      maxDelayMs: options.backoffMaxMs,
      onDepthChange: (depth) => metrics.queueDepth.set(depth),
    });
    this.caches = new Caches({
      kubeConfig,
      logger,
      ...(namespace ? { namespace } : {}),
      onEvent: (info, event, obj) => this.#onEvent(info, event, obj),
    });
    this.#applier = new Applier(kubeConfig, this.caches, metrics, api.fieldManager);
    this.#discovery = new ApiDiscovery(kubeConfig, options.monitoringRecheckMs);
    this.#core = kubeConfig.makeApiClient(CoreV1Api);
    this.#instances = new InstanceApi(kubeConfig, metrics);
    this.#events = new EventRecorder({
      core: this.#core,
      metrics,
      logger,
      component: api.operatorName,
      instanceId: options.identity,
    });
  }

  async start(): Promise<void> {
    await this.caches.start();
    this.#options.logger.info({ namespace: this.#options.namespace ?? '(all)' }, 'caches synced');
    for (const obj of this.caches.list(instanceKind)) this.#enqueue(obj);
    this.#workers = runWorkers(this.queue, this.#options.concurrency, (key) => this.#handle(key));
    this.#resync = setInterval(() => this.resync(), this.#options.resyncMs);
    this.#resync.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#resync);
    this.queue.shutDown();
    await this.caches.stop();
    await this.#workers;
    await Promise.race([
      this.#events.flush(),
      new Promise((resolve) => setTimeout(resolve, 2000).unref()),
    ]);
  }

  /** Queues every known instance. */
  resync(): void {
    for (const obj of this.caches.list(instanceKind)) this.#enqueue(obj);
  }

  #enqueue(obj: WireObject): void {
    const key = keyOf(obj);
    if (key === '/') return;
    this.#options.metrics.queueAdds.inc();
    this.queue.add(key);
  }

  #onEvent(info: KindInfo, event: CacheEvent, obj: WireObject): void {
    if (info === instanceKind) {
      const changed = this.#specChanged(obj);
      if (event === 'update' && !changed) return;
      if (event === 'delete') {
        forgetInstance(
          this.#options.metrics,
          obj.metadata?.namespace ?? '',
          obj.metadata?.name ?? '',
        );
        this.#fingerprints.delete(keyOf(obj));
        this.#statusMemo.delete(obj.metadata?.uid ?? '');
      }
      this.#enqueue(obj);
      return;
    }
    this.#applier.observed(info.kind, obj.metadata?.namespace ?? '', obj.metadata?.name ?? '');
    const owner = obj.metadata?.ownerReferences?.find(
      (ref) => ref.controller && ref.kind === api.kind,
    );
    if (!owner || !obj.metadata?.namespace) return;
    this.#options.metrics.queueAdds.inc();
    this.queue.add(`${obj.metadata.namespace}/${owner.name}`);
  }

  // The operator's own status writes come back as updates; reconciling them again would only
  // recompute the same status. Changes to what a reconcile reads do get through.
  #specChanged(obj: WireObject): boolean {
    const { generation, deletionTimestamp, finalizers, labels, annotations } = obj.metadata ?? {};
    const fingerprint = canonicalJson({
      generation,
      deletionTimestamp,
      finalizers,
      labels,
      annotations,
    });
    const key = keyOf(obj);
    if (this.#fingerprints.get(key) === fingerprint) return false;
    this.#fingerprints.set(key, fingerprint);
    return true;
  }

  async #handle(key: string): Promise<void> {
    const { metrics, logger } = this.#options;
    const [namespace = '', name = ''] = key.split('/');
    const obj = this.caches.get(instanceKind, namespace, name) as
      UserManagementInstance | undefined;
    if (!obj) {
      forgetInstance(metrics, namespace, name);
      this.queue.forget(key);
      return;
    }
    const stop = metrics.reconcileDuration.startTimer();
    try {
      const result = await this.#reconcileOne(obj);
      recordInstanceReady(metrics, namespace, name, result.ready);
      this.queue.forget(key);
      const outcome = result.requeueAfterMs ? 'requeue' : 'success';
      metrics.reconcileTotal.inc({ result: outcome });
      stop({ result: outcome });
      if (result.requeueAfterMs) this.queue.addAfter(key, result.requeueAfterMs);
    } catch (err) {
      const reason = (err as { reason?: string }).reason ?? 'Unknown';
      recordInstanceReady(metrics, namespace, name, (err as ReconcileFailure).ready);
      metrics.reconcileTotal.inc({ result: 'error' });
      metrics.reconcileErrors.inc({ reason });
      metrics.queueRetries.inc();
      stop({ result: 'error' });
      const retryInMs = this.queue.addRateLimited(key);
      logger.warn(
        { instance: key, reason, error: describeError(err), retryInMs },
        'reconcile failed',
      );
    }
  }

  async #reconcileOne(obj: UserManagementInstance) {
    const parsed = instanceSpecSchema.safeParse(obj.spec);
    if (!parsed.success) {
      // The API server validates against the same schema; this only happens with a stale CRD.
      throw Object.assign(
        new Error(`spec does not match the operator's schema: ${parsed.error.message}`),
        {
          reason: 'InvalidSpec',
        },
      );
    }
    const { name, namespace, uid } = obj.metadata;
    return reconcile({
      instance: obj,
      ref: { name, namespace, uid, spec: parsed.data },
      caches: this.caches,
      applier: this.#applier,
      discovery: this.#discovery,
      core: this.#core,
      instances: this.#instances,
      events: this.#events,
      logger: this.#options.logger,
      random: (bytes) => randomBytes(bytes).toString('base64url'),
      now: () => new Date(),
      statusMemo: this.#statusMemo,
      knownSecrets: this.#knownSecrets,
    });
  }
}

function keyOf(obj: WireObject): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}
