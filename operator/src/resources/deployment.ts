// Deployments for auth, profile and web: zero-downtime rollouts (maxUnavailable 0, preStop
// drain, probes), spread over zones and nodes, restricted security context.
import type { V1Container, V1Deployment, V1EnvVar, V1Probe } from '@kubernetes/client-node';
import * as api from '../api/group.ts';
import type { ComponentName } from '../api/instance-schema.ts';
import type { InstanceRef } from '../api/types.ts';
import { configHash, configMapName } from './config-map.ts';
import { mongodbEnv, postgresEnv, redisEnv } from './connections.ts';
import { childMeta, childName, commonLabels, selectorLabels } from './meta.ts';
import {
  appUid,
  containerSecurityContext,
  imageFor,
  imagePullSecrets,
  podSecurityContext,
  scratchVolume,
} from './pod.ts';
import { tokenKekSecretName } from './secret.ts';
import { containerPort, servicePortName } from './service.ts';

/** Seconds the pod keeps serving after it is taken out of the endpoints, before SIGTERM. */
export const preStopSeconds = 5;
// preStop + SHUTDOWN_TIMEOUT_MS (20 s, see config-map.ts) + margin for closers.
const terminationGracePeriodSeconds = 35;

function httpProbe(path: string, periodSeconds: number, failureThreshold: number): V1Probe {
  return {
    httpGet: { path, port: servicePortName },
    periodSeconds,
    failureThreshold,
    timeoutSeconds: 2,
  };
}

function oidcEnv(instance: InstanceRef): V1EnvVar[] {
  const providers = instance.spec.oidcProviders ?? [];
  if (providers.length === 0) return [];
  const secretVar = (name: string) => `OIDC_${name.toUpperCase().replace(/-/g, '_')}_CLIENT_SECRET`;
  // The client secret is spliced in by Kubernetes' $(VAR) expansion, so the JSON the auth
  // service reads never passes through the spec or a ConfigMap.
  const json = providers.map((p) => ({
    id: p.name,
    name: p.name,
    issuer: p.issuerURL,
    clientId: p.clientID,
    clientSecret: `$(${secretVar(p.name)})`,
    scopes: p.scopes,
  }));
  return [
    ...providers.map((p) => ({
      name: secretVar(p.name),
      valueFrom: { secretKeyRef: { name: p.clientSecret.name, key: p.clientSecret.key } },
    })),
    { name: 'OIDC_PROVIDERS', value: JSON.stringify(json) },
  ];
}

export function componentEnv(instance: InstanceRef, component: ComponentName): V1EnvVar[] {
  const base: V1EnvVar[] = [{ name: 'SERVICE_NAME', value: component }];
  if (component === 'auth') {
    return [
      ...base,
      ...postgresEnv(instance),
      ...redisEnv(instance),
      {
        name: 'TOKEN_KEK',
        valueFrom: { secretKeyRef: { name: tokenKekSecretName(instance), key: 'kek' } },
      },
      ...oidcEnv(instance),
    ];
  }
  if (component === 'profile') return [...base, ...mongodbEnv(instance), ...redisEnv(instance)];
  return base;
}

function container(instance: InstanceRef, component: ComponentName, version: string): V1Container {
  const { resources } = instance.spec.components[component];
  const tmp = scratchVolume('tmp', '/tmp');
  // The web image serves static files and has no dependencies to check, so /health is its readiness.
  const readinessPath = component === 'web' ? '/health' : '/ready';
  return {
    name: component,
    image: imageFor(instance, component, version),
    imagePullPolicy: instance.spec.imagePullPolicy,
    ports: [{ name: servicePortName, containerPort, protocol: 'TCP' }],
    ...(component === 'web'
      ? {}
      : { envFrom: [{ configMapRef: { name: configMapName(instance) } }] }),
    env: componentEnv(instance, component),
    resources: { requests: { ...resources.requests }, limits: { ...resources.limits } },
    startupProbe: httpProbe('/health', 2, 30),
    livenessProbe: httpProbe('/health', 10, 3),
    readinessProbe: httpProbe(readinessPath, 5, 2),
    lifecycle: { preStop: { sleep: { seconds: preStopSeconds } } },
    securityContext: containerSecurityContext,
    volumeMounts: [tmp.mount],
  };
}

export function buildDeployment(
  instance: InstanceRef,
  component: ComponentName,
  version: string,
): V1Deployment {
  const spec = instance.spec.components[component];
  const selector = selectorLabels(instance, component);
  const spread = (topologyKey: string) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: selector },
    matchLabelKeys: ['pod-template-hash'],
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: childMeta(instance, childName(instance, component), component),
    spec: {
      // With autoscaling on, the HorizontalPodAutoscaler owns the replica count.
      ...(spec.autoscaling.enabled ? {} : { replicas: spec.replicas }),
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: {
          labels: { ...commonLabels(instance, component), [api.labels.version]: version },
          annotations: { [api.annotations.configHash]: configHash(instance) },
        },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds,
          securityContext: podSecurityContext(appUid),
          topologySpreadConstraints: [
            spread('topology.kubernetes.io/zone'),
            spread('kubernetes.io/hostname'),
          ],
          ...imagePullSecrets(instance),
          containers: [container(instance, component, version)],
          volumes: [scratchVolume('tmp', '/tmp').volume],
        },
      },
    },
  };
}

/** The version a live Deployment runs, from its pod template label. */
export function deployedVersion(deployment: V1Deployment | undefined): string | undefined {
  return deployment?.spec?.template.metadata?.labels?.[api.labels.version];
}
