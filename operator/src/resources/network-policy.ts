// NetworkPolicies: each managed database accepts connections only from the components that own
// its data (and the migration Job); the application pods accept HTTP from the namespaces the
// spec names (the ingress controller, Prometheus). Egress stays open: external databases and
// OIDC providers live outside the cluster at addresses the operator cannot know.
import type { V1NetworkPolicy, V1NetworkPolicyPeer } from '@kubernetes/client-node';
import * as api from '../api/group.ts';
import type { DatabaseName } from '../api/database-schema.ts';
import { databaseDefaults } from '../api/defaults.ts';
import type { InstanceRef } from '../api/types.ts';
import { childMeta, childName, selectorLabels } from './meta.ts';
import type { Component } from './meta.ts';
import { servicePortName } from './service.ts';

const databaseClients: Record<DatabaseName, Component[]> = {
  postgres: ['auth', 'migration'],
  mongodb: ['profile', 'migration'],
  redis: ['auth', 'profile'],
};

function podsOf(instance: InstanceRef, components: Component[]): V1NetworkPolicyPeer {
  return {
    podSelector: {
      matchLabels: { [api.labels.instance]: instance.name },
      matchExpressions: [{ key: api.labels.component, operator: 'In', values: components }],
    },
  };
}

function databasePolicy(instance: InstanceRef, database: DatabaseName): V1NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: childMeta(instance, childName(instance, database), database),
    spec: {
      podSelector: { matchLabels: selectorLabels(instance, database) },
      policyTypes: ['Ingress'],
      ingress: [
        {
          _from: [podsOf(instance, databaseClients[database])],
          ports: [{ protocol: 'TCP', port: databaseDefaults[database].port }],
        },
      ],
    },
  };
}

function appPolicy(instance: InstanceRef): V1NetworkPolicy {
  const { ingressNamespaceSelector } = instance.spec.networkPolicy;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: childMeta(instance, childName(instance, 'app')),
    spec: {
      podSelector: podsOf(instance, ['auth', 'profile', 'web']).podSelector ?? {},
      policyTypes: ['Ingress'],
      ingress: [
        {
          _from: [
            {
              namespaceSelector: ingressNamespaceSelector
                ? { matchLabels: ingressNamespaceSelector }
                : {},
            },
            podsOf(instance, ['auth', 'profile', 'web']),
          ],
          ports: [{ protocol: 'TCP', port: servicePortName }],
        },
      ],
    },
  };
}

export function buildNetworkPolicies(instance: InstanceRef): V1NetworkPolicy[] {
  if (!instance.spec.networkPolicy.enabled) return [];
  const managed = (['postgres', 'mongodb', 'redis'] as const).filter(
    (database) => instance.spec.databases[database].managed,
  );
  return [appPolicy(instance), ...managed.map((database) => databasePolicy(instance, database))];
}

/** Names of every NetworkPolicy the operator may own, so disabled ones can be removed. */
export function networkPolicyNames(instance: InstanceRef): string[] {
  return ['app', 'postgres', 'mongodb', 'redis'].map((suffix) => childName(instance, suffix));
}
