// Server-side apply under one field manager, skipping the request when the live object (from
// the informer cache) already matches. Every write is counted, which is how the tests prove a
// steady-state reconcile writes nothing.
import { KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { appliedHashAnnotation, needsApply, withAppliedHash } from './drift.ts';
import type { Caches } from './informers.ts';
import { isNotFound, ReconcileError } from './kube-errors.ts';
import { ownedKinds } from './kinds.ts';
import type { OwnedKind } from './kinds.ts';
import type { OperatorMetrics } from './metrics.ts';
import { toWire } from './wire.ts';

export type ApplyResult = 'unchanged' | 'applied';

interface Named {
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
}

export class Applier {
  readonly #objects: KubernetesObjectApi;
  readonly #caches: Caches;
  readonly #metrics: OperatorMetrics;
  readonly #fieldManager: string;
  // What we applied last per object, and the resourceVersion the cache showed before it. Lets
  // a reconcile that runs before the watch delivers our own write skip a redundant apply.
  readonly #recent = new Map<string, { hash: string; staleVersion: string | undefined }>();

  constructor(
    kubeConfig: KubeConfig,
    caches: Caches,
    metrics: OperatorMetrics,
    fieldManager: string,
  ) {
    this.#objects = KubernetesObjectApi.makeApiClient(kubeConfig);
    this.#caches = caches;
    this.#metrics = metrics;
    this.#fieldManager = fieldManager;
  }

  /** Applies `obj` (a client-node model) unless the live object already matches it. */
  async apply<T extends KubernetesObject & Named>(
    kind: OwnedKind,
    obj: T,
    what: string,
  ): Promise<ApplyResult> {
    const info = ownedKinds[kind];
    const { name = '', namespace = '' } = obj.metadata ?? {};
    const desired = withAppliedHash(toWire(obj, info.model));
    const hash = desired.metadata?.annotations?.[appliedHashAnnotation] ?? '';
    const live = this.#caches.get(info, namespace, name);
    const key = `${kind}/${namespace}/${name}`;
    const recent = this.#recent.get(key);
    // Our last apply of this very content has not reached the cache yet: nothing to do.
    if (recent?.hash === hash && recent.staleVersion === live?.metadata?.resourceVersion) {
      return 'unchanged';
    }
    if (!needsApply(live, desired)) return 'unchanged';
    const body = {
      ...obj,
      metadata: {
        ...obj.metadata,
        annotations: { ...obj.metadata?.annotations, [appliedHashAnnotation]: hash },
      },
    };
    try {
      this.#metrics.writes.inc({ kind, verb: 'apply' });
      await this.#objects.patch(
        body,
        undefined,
        undefined,
        this.#fieldManager,
        true,
        PatchStrategy.ServerSideApply,
      );
    } catch (err) {
      this.#recent.delete(key);
      throw new ReconcileError('ApplyFailed', `applying ${what}`, err);
    }
    this.#recent.set(key, { hash, staleVersion: live?.metadata?.resourceVersion });
    return 'applied';
  }

  /** The cache saw an event for this object: from now on the cache, not the memo, is current. */
  observed(kind: string, namespace: string, name: string): void {
    this.#recent.delete(`${kind}/${namespace}/${name}`);
  }

  /** Counts a write made outside this class (creating a Secret, say). */
  countWrite(kind: string, verb: string): void {
    this.#metrics.writes.inc({ kind, verb });
  }

  /** Deletes an object the spec no longer asks for, if the cache says it exists. */
  async deleteIfPresent(
    kind: OwnedKind,
    namespace: string,
    name: string,
    what: string,
  ): Promise<boolean> {
    const info = ownedKinds[kind];
    if (!this.#caches.get(info, namespace, name)) return false;
    try {
      this.#metrics.writes.inc({ kind, verb: 'delete' });
      await this.#objects.delete({
        apiVersion: info.apiVersion,
        kind,
        metadata: { name, namespace },
      });
    } catch (err) {
      if (isNotFound(err)) return false;
      throw new ReconcileError('DeleteFailed', `deleting ${what}`, err);
    }
    return true;
  }
}
