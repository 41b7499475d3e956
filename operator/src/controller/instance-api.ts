// Writes to the custom resource itself: its status (server-side apply on the status
// subresource, under the operator's field manager) and its finalizers (a merge patch guarded by
// resourceVersion, so a concurrent edit makes it fail and retry rather than clobber).
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import * as api from '../api/group.ts';
import type { InstanceStatus } from '../api/status-schema.ts';
import type { UserManagementInstance } from '../api/types.ts';
import { ReconcileError } from '../runtime/kube-errors.ts';
import type { OperatorMetrics } from '../runtime/metrics.ts';

export class InstanceApi {
  readonly #api: CustomObjectsApi;
  readonly #metrics: OperatorMetrics;

  constructor(kubeConfig: KubeConfig, metrics: OperatorMetrics) {
    this.#api = kubeConfig.makeApiClient(CustomObjectsApi);
    this.#metrics = metrics;
  }

  async applyStatus(instance: UserManagementInstance, status: InstanceStatus): Promise<void> {
    const { name, namespace } = instance.metadata;
    this.#metrics.writes.inc({ kind: api.kind, verb: 'apply-status' });
    try {
      await this.#api.patchNamespacedCustomObjectStatus(
        {
          group: api.group,
          version: api.version,
          plural: api.plural,
          namespace,
          name,
          fieldManager: api.fieldManager,
          force: true,
          body: {
            apiVersion: api.apiVersion,
            kind: api.kind,
            metadata: { name, namespace },
            status,
          },
        },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      );
    } catch (err) {
      throw new ReconcileError('StatusUpdateFailed', 'writing the status', err);
    }
  }

  async setFinalizers(instance: UserManagementInstance, finalizers: string[]): Promise<void> {
    const { name, namespace, resourceVersion } = instance.metadata;
    this.#metrics.writes.inc({ kind: api.kind, verb: 'patch-finalizers' });
    try {
      await this.#api.patchNamespacedCustomObject(
        {
          group: api.group,
          version: api.version,
          plural: api.plural,
          namespace,
          name,
          body: { metadata: { finalizers, resourceVersion } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    } catch (err) {
      throw new ReconcileError('FinalizerUpdateFailed', 'updating finalizers', err);
    }
  }
}
