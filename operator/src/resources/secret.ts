// Secrets the operator generates: database passwords for managed databases and the key that
// encrypts the token-signing keys at rest. Created once and never overwritten, so rotating one
// is a deliberate act (delete it and restart what uses it), never a side effect of a reconcile.
import type { V1Secret } from '@kubernetes/client-node';
import type { InstanceRef } from '../api/types.ts';
import { childMeta, childName } from './meta.ts';
import type { Component } from './meta.ts';

export type RandomString = (bytes: number) => string;

export interface GeneratedSecretSpec {
  name: string;
  component: Component;
  /** Builds the data with fresh random values; called only when the Secret does not exist. */
  data: (random: RandomString) => Record<string, string>;
}

/** The database user name in managed databases; not a secret, but kept next to its password. */
export const managedDatabaseUser = 'ums';

export function credentialsSecretName(instance: InstanceRef, database: string): string {
  return childName(instance, `${database}-credentials`);
}

export function tokenKekSecretName(instance: InstanceRef): string {
  return childName(instance, 'token-kek');
}

export function generatedSecretSpecs(instance: InstanceRef): GeneratedSecretSpec[] {
  const { databases } = instance.spec;
  const specs: GeneratedSecretSpec[] = [];
  for (const database of ['postgres', 'mongodb'] as const) {
    if (!databases[database].managed) continue;
    specs.push({
      name: credentialsSecretName(instance, database),
      component: database,
      data: (random) => ({ username: managedDatabaseUser, password: random(24) }),
    });
  }
  if (databases.redis.managed) {
    specs.push({
      name: credentialsSecretName(instance, 'redis'),
      component: 'redis',
      data: (random) => ({ password: random(24) }),
    });
  }
  specs.push({
    name: tokenKekSecretName(instance),
    component: 'auth',
    // 32 bytes: an AES-256 key.
    data: (random) => ({ kek: random(32) }),
  });
  return specs;
}

export function buildGeneratedSecret(
  instance: InstanceRef,
  spec: GeneratedSecretSpec,
  random: RandomString,
): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: childMeta(instance, spec.name, spec.component),
    type: 'Opaque',
    // Immutable: the API server itself refuses accidental edits of generated credentials.
    immutable: true,
    stringData: spec.data(random),
  };
}
