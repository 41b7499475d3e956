// Managed databases: one single-replica StatefulSet per store with a volume claim template.
// Meant for development and demos; production instances point at RDS, DocumentDB and ElastiCache.
import type { V1Container, V1EnvVar, V1Probe, V1StatefulSet } from '@kubernetes/client-node';
import type { DatabaseName } from '../api/database-schema.ts';
import { databaseDefaults } from '../api/defaults.ts';
import type { InstanceRef } from '../api/types.ts';
import { childMeta, childName, commonLabels, selectorLabels } from './meta.ts';
import { containerSecurityContext, podSecurityContext, scratchVolume } from './pod.ts';
import { credentialsSecretName } from './secret.ts';

interface Engine {
  /** The user the official image runs its server as. */
  uid: number;
  dataPath: string;
  /** Extra writable directories the server needs on a read-only root file system. */
  scratch: Record<string, string>;
  env: (secret: string) => V1EnvVar[];
  args?: string[];
  /** How the kubelet asks whether the server is up: a command in the container, or a TCP connect. */
  probe: Pick<V1Probe, 'exec' | 'tcpSocket'>;
}

const secretEnv = (name: string, secret: string, key: string): V1EnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key } },
});

const engines: Record<DatabaseName, Engine> = {
  postgres: {
    uid: 70, // postgres in the Alpine image
    dataPath: '/var/lib/postgresql/data',
    scratch: { run: '/var/run/postgresql', tmp: '/tmp' },
    env: (secret) => [
      secretEnv('POSTGRES_USER', secret, 'username'),
      secretEnv('POSTGRES_PASSWORD', secret, 'password'),
      { name: 'POSTGRES_DB', value: 'ums' },
      // A sub-directory: the volume's root may hold lost+found, which initdb refuses.
      { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
    ],
    probe: {
      exec: { command: ['sh', '-c', 'pg_isready -h 127.0.0.1 -U "$POSTGRES_USER" -d ums'] },
    },
  },
  mongodb: {
    uid: 999,
    dataPath: '/data/db',
    scratch: { configdb: '/data/configdb', tmp: '/tmp' },
    env: (secret) => [
      secretEnv('MONGO_INITDB_ROOT_USERNAME', secret, 'username'),
      secretEnv('MONGO_INITDB_ROOT_PASSWORD', secret, 'password'),
      { name: 'MONGO_INITDB_DATABASE', value: 'ums' },
    ],
    // A TCP check, not `mongosh`: MongoDB-wire servers other than mongod (FerretDB, the local
    // platform's image) ship no shell, and every one of them accepts connections only once ready.
    probe: { tcpSocket: { port: 'mongodb' } },
  },
  redis: {
    uid: 999,
    dataPath: '/data',
    scratch: { tmp: '/tmp' },
    // REDISCLI_AUTH lets the probe authenticate without a password on its command line.
    env: (secret) => [
      secretEnv('REDIS_PASSWORD', secret, 'password'),
      secretEnv('REDISCLI_AUTH', secret, 'password'),
    ],
    args: ['--requirepass', '$(REDIS_PASSWORD)', '--appendonly', 'yes', '--dir', '/data'],
    probe: { exec: { command: ['redis-cli', 'ping'] } },
  },
};

function probe(check: Engine['probe'], periodSeconds: number, failureThreshold: number): V1Probe {
  return { ...check, periodSeconds, failureThreshold, timeoutSeconds: 5 };
}

function container(instance: InstanceRef, database: DatabaseName): V1Container {
  const managed = instance.spec.databases[database].managed;
  if (!managed) throw new Error(`${database} is not managed`);
  const engine = engines[database];
  const scratch = Object.entries(engine.scratch).map(([name, path]) => scratchVolume(name, path));
  return {
    name: database,
    image: managed.image,
    ...(engine.args ? { args: engine.args } : {}),
    ports: [{ name: database, containerPort: databaseDefaults[database].port, protocol: 'TCP' }],
    env: engine.env(credentialsSecretName(instance, database)),
    resources: {
      requests: { ...managed.resources.requests },
      limits: { ...managed.resources.limits },
    },
    startupProbe: probe(engine.probe, 5, 60),
    livenessProbe: probe(engine.probe, 10, 6),
    readinessProbe: probe(engine.probe, 5, 3),
    securityContext: containerSecurityContext,
    volumeMounts: [{ name: 'data', mountPath: engine.dataPath }, ...scratch.map((s) => s.mount)],
  };
}

export function buildDatabaseStatefulSet(
  instance: InstanceRef,
  database: DatabaseName,
): V1StatefulSet | undefined {
  const managed = instance.spec.databases[database].managed;
  if (!managed) return undefined;
  const engine = engines[database];
  const name = childName(instance, database);
  const scratch = Object.entries(engine.scratch).map(([n, path]) => scratchVolume(n, path));
  const { storage } = managed;
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: childMeta(instance, name, database),
    spec: {
      serviceName: name,
      replicas: 1,
      selector: { matchLabels: selectorLabels(instance, database) },
      template: {
        metadata: { labels: commonLabels(instance, database) },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: 30,
          securityContext: podSecurityContext(engine.uid),
          containers: [container(instance, database)],
          volumes: scratch.map((s) => s.volume),
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data', labels: commonLabels(instance, database) },
          spec: {
            accessModes: ['ReadWriteOnce'],
            ...(storage.storageClassName ? { storageClassName: storage.storageClassName } : {}),
            resources: { requests: { storage: storage.size } },
          },
        },
      ],
    },
  };
}
