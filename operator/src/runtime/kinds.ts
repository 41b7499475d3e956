// The kinds the operator owns and watches, with what the informers and the apply helper need.
import * as api from '../api/group.ts';

export interface KindInfo {
  kind: string;
  apiVersion: string;
  /** URL segment of the resource, e.g. `deployments`. */
  plural: string;
  /** client-node's model name, used to convert between its camelCase models and wire JSON. */
  model: string;
  /** Watched by an informer. Secrets are not: see docs/operator.md, "RBAC". */
  watched: boolean;
  /**
   * Served only where a third-party CRD is installed (the Prometheus Operator's): not watched at
   * start-up, whose list would fail forever without the CRD, but once discovery finds it.
   */
  optional?: boolean;
}

function kindInfo(kind: string, apiVersion: string, plural: string, watched = true): KindInfo {
  const version = apiVersion.split('/').at(-1) ?? apiVersion;
  return {
    kind,
    apiVersion,
    plural,
    model: `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`,
    watched,
  };
}

/** The Prometheus Operator's API group, whose CRDs a cluster may or may not have. */
export const monitoringApiVersion = 'monitoring.coreos.com/v1';

// client-node has no models for these; its generic KubernetesObject keeps every field as is.
function thirdPartyKind(kind: string, plural: string): KindInfo {
  return {
    kind,
    apiVersion: monitoringApiVersion,
    plural,
    model: 'KubernetesObject',
    watched: true,
    optional: true,
  };
}

export const ownedKinds = {
  Secret: kindInfo('Secret', 'v1', 'secrets', false),
  ConfigMap: kindInfo('ConfigMap', 'v1', 'configmaps'),
  Service: kindInfo('Service', 'v1', 'services'),
  StatefulSet: kindInfo('StatefulSet', 'apps/v1', 'statefulsets'),
  Deployment: kindInfo('Deployment', 'apps/v1', 'deployments'),
  Job: kindInfo('Job', 'batch/v1', 'jobs'),
  HorizontalPodAutoscaler: kindInfo(
    'HorizontalPodAutoscaler',
    'autoscaling/v2',
    'horizontalpodautoscalers',
  ),
  PodDisruptionBudget: kindInfo('PodDisruptionBudget', 'policy/v1', 'poddisruptionbudgets'),
  Ingress: kindInfo('Ingress', 'networking.k8s.io/v1', 'ingresses'),
  NetworkPolicy: kindInfo('NetworkPolicy', 'networking.k8s.io/v1', 'networkpolicies'),
  ServiceMonitor: thirdPartyKind('ServiceMonitor', 'servicemonitors'),
  PrometheusRule: thirdPartyKind('PrometheusRule', 'prometheusrules'),
} as const;

export type OwnedKind = keyof typeof ownedKinds;

export const instanceKind: KindInfo = {
  kind: api.kind,
  apiVersion: api.apiVersion,
  plural: api.plural,
  model: 'KubernetesObject',
  watched: true,
};

/** The API path an informer lists and watches: one namespace, or all of them. */
export function collectionPath(info: KindInfo, namespace?: string): string {
  const prefix = info.apiVersion.includes('/')
    ? `/apis/${info.apiVersion}`
    : `/api/${info.apiVersion}`;
  return namespace
    ? `${prefix}/namespaces/${namespace}/${info.plural}`
    : `${prefix}/${info.plural}`;
}

export function kindOf(kind: string): KindInfo {
  const info = (ownedKinds as Record<string, KindInfo>)[kind];
  if (!info) throw new Error(`the operator does not own objects of kind ${kind}`);
  return info;
}
