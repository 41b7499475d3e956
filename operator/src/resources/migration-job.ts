// The schema-migration Job for one target version: auth migrates PostgreSQL (init container),
// then profile migrates MongoDB. The Deployments roll to the version only after it succeeds.
// Jobs are immutable, so the name carries the version and a hash of the pod template.
import type { V1Container, V1Job } from '@kubernetes/client-node';
import * as api from '../api/group.ts';
import type { InstanceRef } from '../api/types.ts';
import { mongodbEnv, postgresEnv } from './connections.ts';
import { childMeta, childName, commonLabels } from './meta.ts';
import { shortHash } from '../runtime/canonical-json.ts';
import {
  appUid,
  containerSecurityContext,
  imageFor,
  imagePullSecrets,
  podSecurityContext,
  scratchVolume,
} from './pod.ts';

/** The command each service image runs to migrate its store (its `db:migrate` npm script). */
export const migrateCommand = ['npm', 'run', '--silent', 'db:migrate'];

function migrator(
  instance: InstanceRef,
  component: 'auth' | 'profile',
  version: string,
): V1Container {
  return {
    name: `${component}-migrate`,
    image: imageFor(instance, component, version),
    imagePullPolicy: instance.spec.imagePullPolicy,
    command: migrateCommand,
    env: [
      { name: 'NODE_ENV', value: 'production' },
      ...(component === 'auth' ? postgresEnv(instance) : mongodbEnv(instance)),
    ],
    resources: {
      requests: { ...instance.spec.components[component].resources.requests },
      limits: { ...instance.spec.components[component].resources.limits },
    },
    securityContext: containerSecurityContext,
    volumeMounts: [scratchVolume('tmp', '/tmp').mount],
  };
}

/** The command that seeds the demo users from the README (auth's `db:seed`). */
export const seedCommand = ['npm', 'run', '--silent', 'db:seed'];

/**
 * With `security.demoUsers`, the demo users are seeded after auth's migration. The seed refuses
 * NODE_ENV=production by design, so this one step says development: the instance asked for it.
 */
function demoSeeder(instance: InstanceRef, version: string): V1Container[] {
  if (!instance.spec.security.demoUsers) return [];
  const auth = migrator(instance, 'auth', version);
  return [
    {
      ...auth,
      name: 'auth-seed-demo-users',
      command: seedCommand,
      env: [
        { name: 'NODE_ENV', value: 'development' },
        ...(auth.env ?? []).filter((e) => e.name !== 'NODE_ENV'),
      ],
    },
  ];
}

function jobSpec(instance: InstanceRef, version: string): NonNullable<V1Job['spec']> {
  return {
    backoffLimit: 3,
    activeDeadlineSeconds: 1800,
    template: {
      metadata: {
        labels: { ...commonLabels(instance, 'migration'), [api.labels.version]: version },
      },
      spec: {
        restartPolicy: 'Never',
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        securityContext: podSecurityContext(appUid),
        ...imagePullSecrets(instance),
        initContainers: [migrator(instance, 'auth', version), ...demoSeeder(instance, version)],
        containers: [migrator(instance, 'profile', version)],
        volumes: [scratchVolume('tmp', '/tmp').volume],
      },
    },
  };
}

export function migrationJobName(instance: InstanceRef, version: string): string {
  const hash = shortHash(jobSpec(instance, version), 6);
  const slug = version.replace(/[^a-z0-9-]/gi, '-').toLowerCase();
  const readable = childName(instance, `migrate-${slug}-${hash}`);
  // The Job controller copies the name into a label, and label values stop at 63 characters.
  return readable.length <= 63 ? readable : childName(instance, `migrate-${hash}`);
}

export function buildMigrationJob(instance: InstanceRef, version: string): V1Job {
  const meta = childMeta(instance, migrationJobName(instance, version), 'migration');
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { ...meta, labels: { ...meta.labels, [api.labels.version]: version } },
    spec: jobSpec(instance, version),
  };
}

export type JobState = 'absent' | 'running' | 'succeeded' | 'failed';

export function jobState(job: V1Job | undefined): JobState {
  if (!job) return 'absent';
  const conditions = job.status?.conditions ?? [];
  const holds = (type: string) => conditions.some((c) => c.type === type && c.status === 'True');
  if (holds('Complete') || (job.status?.succeeded ?? 0) > 0) return 'succeeded';
  if (holds('Failed')) return 'failed';
  return 'running';
}
