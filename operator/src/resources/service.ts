// Services: a ClusterIP Service per application component, a headless one per managed database
// (the StatefulSet's governing Service, giving the pod a stable DNS name).
import type { V1Service } from '@kubernetes/client-node';
import type { InstanceRef } from '../api/types.ts';
import { childMeta, childName, selectorLabels } from './meta.ts';
import type { Component } from './meta.ts';

export const servicePortName = 'http';
/** Every application container listens here (the PORT variable), whatever its local-dev port. */
export const containerPort = 8080;

export function buildAppService(
  instance: InstanceRef,
  component: 'auth' | 'profile' | 'web',
): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: childMeta(instance, childName(instance, component), component),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(instance, component),
      ports: [{ name: servicePortName, port: 80, targetPort: servicePortName, protocol: 'TCP' }],
    },
  };
}

export function buildDatabaseService(
  instance: InstanceRef,
  database: Component,
  port: number,
): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: childMeta(instance, childName(instance, database), database),
    spec: {
      clusterIP: 'None',
      selector: selectorLabels(instance, database),
      ports: [{ name: database, port, targetPort: database, protocol: 'TCP' }],
    },
  };
}
