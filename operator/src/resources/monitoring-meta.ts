// What the monitoring children share: the Prometheus Operator object shape, their metadata and
// the label that names the instance on every scraped series.
import type { KubernetesObject, V1ObjectMeta } from '@kubernetes/client-node';
import type { InstanceRef } from '../api/types.ts';
import { childMeta } from './meta.ts';
import type { Component } from './meta.ts';

/** The label every scraped series of an instance carries, next to Prometheus' `namespace`. */
export const instanceLabel = 'ums_instance';

/** A Prometheus Operator object; client-node has no model for these kinds. */
export interface MonitoringObject extends KubernetesObject {
  metadata: V1ObjectMeta & { name: string; namespace: string };
  spec: Record<string, unknown>;
}

/** Metadata for the Prometheus Operator's objects: the spec's extra labels, then ours. */
export function monitoringMeta(
  instance: InstanceRef,
  name: string,
  component: Component,
): MonitoringObject['metadata'] {
  const meta = childMeta(instance, name, component);
  return { ...meta, labels: { ...instance.spec.monitoring.labels, ...meta.labels } };
}

/** The label matchers that select one instance's series. */
export function instanceMatchers(instance: InstanceRef): string {
  return `namespace="${instance.namespace}",${instanceLabel}="${instance.name}"`;
}
