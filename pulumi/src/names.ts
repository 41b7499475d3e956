// Names the AWS side shares with the Kubernetes side. They must match
// operator/examples/production.yaml (namespace, instance, the Secrets its spec references) and the
// operator's ServiceAccount (operator/config/rbac/service-account.yaml); estate.test.ts reads both
// files and fails when they drift.
import type { EnvironmentName } from './sizing.ts';

export const instance = { name: 'ums', namespace: 'user-management' } as const;
export const operatorServiceAccount = { name: 'ums-operator', namespace: 'ums-system' } as const;

/** The Kubernetes Secrets the instance spec names, one per data store. */
export const kubernetesSecrets = {
  postgres: 'ums-rds',
  mongodb: 'ums-docdb',
  redis: 'ums-elasticache',
} as const;
export type Store = keyof typeof kubernetesSecrets;

/** The images the platform runs (`<imageRegistry>/<component>:<version>`), plus the operator's. */
export const imageNames = ['auth', 'profile', 'web', 'operator'] as const;

/** The ServiceAccount a service's pods would run as: the operator names children `<instance>-<component>`. */
export function serviceAccountName(component: 'auth' | 'profile'): string {
  return `${instance.name}-${component}`;
}

/** Prefix of every physical name, so that the three stacks can share one AWS account. */
export function prefixFor(environment: EnvironmentName): string {
  return `ums-${environment}`;
}

/** Secrets Manager name of the secret that becomes Kubernetes Secret `secretName`. */
export function secretsManagerName(environment: EnvironmentName, secretName: string): string {
  return `${prefixFor(environment)}/${secretName}`;
}
