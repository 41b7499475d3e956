// How the application reaches each database: environment variables that take credentials from
// Secrets (never from the spec or the ConfigMap) and compose the connection URL the services read
// (DATABASE_URL, MONGODB_URI, REDIS_URL) with Kubernetes' $(VAR) expansion.
import type { V1EnvVar } from '@kubernetes/client-node';
import { databaseDefaults } from '../api/defaults.ts';
import type { InstanceRef } from '../api/types.ts';
import { childName } from './meta.ts';
import { credentialsSecretName } from './secret.ts';

interface KeyRef {
  name: string;
  key: string;
}

function fromSecret(name: string, ref: KeyRef): V1EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } };
}

/** In-cluster DNS name of a managed database's headless Service. */
export function managedHost(instance: InstanceRef, database: string): string {
  return `${childName(instance, database)}.${instance.namespace}.svc`;
}

/** Where a SQL or document database is and which Secret keys hold its user and password. */
function coordinates(instance: InstanceRef, database: 'postgres' | 'mongodb') {
  const { external } = instance.spec.databases[database];
  const secret = external?.credentialsSecret;
  const generated = credentialsSecretName(instance, database);
  return {
    user: secret
      ? { name: secret.name, key: secret.usernameKey }
      : { name: generated, key: 'username' },
    password: secret
      ? { name: secret.name, key: secret.passwordKey }
      : { name: generated, key: 'password' },
    host: external ? external.host : managedHost(instance, database),
    port: external ? external.port : databaseDefaults[database].port,
    database: external ? external.database : 'ums',
  };
}

export function postgresEnv(instance: InstanceRef): V1EnvVar[] {
  const { external } = instance.spec.databases.postgres;
  const { user, password, host, port, database } = coordinates(instance, 'postgres');
  // In-cluster traffic to a managed database stays inside the NetworkPolicy; it has no TLS.
  const sslMode = external ? external.sslMode : 'disable';
  return [
    fromSecret('POSTGRES_USER', user),
    fromSecret('POSTGRES_PASSWORD', password),
    {
      name: 'DATABASE_URL',
      value: `postgres://$(POSTGRES_USER):$(POSTGRES_PASSWORD)@${host}:${port}/${database}?sslmode=${sslMode}`,
    },
  ];
}

export function mongodbEnv(instance: InstanceRef): V1EnvVar[] {
  const { external } = instance.spec.databases.mongodb;
  const { user, password, host, port, database } = coordinates(instance, 'mongodb');
  const options = external
    ? [
        `tls=${external.tls}`,
        ...(external.replicaSet ? [`replicaSet=${external.replicaSet}`] : []),
        // DocumentDB does not support retryable writes.
        'retryWrites=false',
      ]
    : ['authSource=admin'];
  return [
    fromSecret('MONGODB_USER', user),
    fromSecret('MONGODB_PASSWORD', password),
    {
      name: 'MONGODB_URI',
      value: `mongodb://$(MONGODB_USER):$(MONGODB_PASSWORD)@${host}:${port}/${database}?${options.join('&')}`,
    },
  ];
}

export function redisEnv(instance: InstanceRef): V1EnvVar[] {
  const { external } = instance.spec.databases.redis;
  const host = external ? external.host : managedHost(instance, 'redis');
  const port = external ? external.port : databaseDefaults.redis.port;
  const scheme = external?.tls ? 'rediss' : 'redis';
  const secret = external
    ? external.credentialsSecret && {
        name: external.credentialsSecret.name,
        key: external.credentialsSecret.passwordKey,
      }
    : { name: credentialsSecretName(instance, 'redis'), key: 'password' };
  if (!secret) return [{ name: 'REDIS_URL', value: `${scheme}://${host}:${port}` }];
  return [
    fromSecret('REDIS_PASSWORD', secret),
    { name: 'REDIS_URL', value: `${scheme}://:$(REDIS_PASSWORD)@${host}:${port}` },
  ];
}
