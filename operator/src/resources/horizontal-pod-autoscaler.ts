// HorizontalPodAutoscalers (autoscaling/v2) for components with autoscaling enabled, on CPU and
// optionally memory, with the seed's stabilisation windows.
import type { V2HorizontalPodAutoscaler, V2MetricSpec } from '@kubernetes/client-node';
import type { ComponentName } from '../api/instance-schema.ts';
import type { InstanceRef } from '../api/types.ts';
import { childMeta, childName } from './meta.ts';

function utilization(name: 'cpu' | 'memory', averageUtilization: number): V2MetricSpec {
  return {
    type: 'Resource',
    resource: { name, target: { type: 'Utilization', averageUtilization } },
  };
}

export function buildHorizontalPodAutoscaler(
  instance: InstanceRef,
  component: ComponentName,
): V2HorizontalPodAutoscaler | undefined {
  const { autoscaling } = instance.spec.components[component];
  if (!autoscaling.enabled) return undefined;
  const name = childName(instance, component);
  const metrics = [utilization('cpu', autoscaling.targetCPUUtilizationPercentage)];
  if (autoscaling.targetMemoryUtilizationPercentage !== undefined) {
    metrics.push(utilization('memory', autoscaling.targetMemoryUtilizationPercentage));
  }
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: childMeta(instance, name, component),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: autoscaling.minReplicas,
      maxReplicas: autoscaling.maxReplicas,
      metrics,
      behavior: {
        scaleUp: { stabilizationWindowSeconds: autoscaling.scaleUpStabilizationSeconds },
        scaleDown: { stabilizationWindowSeconds: autoscaling.scaleDownStabilizationSeconds },
      },
    },
  };
}
