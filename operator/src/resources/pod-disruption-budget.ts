// PodDisruptionBudgets: node drains may take one application pod at a time; a managed database
// (a single replica) may not be evicted at all, so a drain waits for a person to move it.
import type { V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { InstanceRef } from '../api/types.ts';
import { childMeta, childName, selectorLabels } from './meta.ts';
import type { Component } from './meta.ts';

export function buildPodDisruptionBudget(
  instance: InstanceRef,
  component: Component,
): V1PodDisruptionBudget {
  const isDatabase = component === 'postgres' || component === 'mongodb' || component === 'redis';
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: childMeta(instance, childName(instance, component), component),
    spec: {
      selector: { matchLabels: selectorLabels(instance, component) },
      ...(isDatabase ? { minAvailable: 1 } : { maxUnavailable: 1 }),
      // Pods that never became ready may always be evicted, so a broken rollout cannot block a drain.
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  };
}
