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
