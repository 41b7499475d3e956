// Computes the status from what a reconcile observed. Pure: the same inputs give the same status,
// so a reconcile that changed nothing produces an identical status and writes nothing.
import type { V1Deployment } from '@kubernetes/client-node';
import { databaseNames } from '../api/database-schema.ts';
import type { DatabaseName } from '../api/database-schema.ts';
import { componentNames } from '../api/instance-schema.ts';
import type { ComponentName } from '../api/instance-schema.ts';
import type { ComponentStatus, ConditionType, InstanceStatus } from '../api/status-schema.ts';
import type { UserManagementInstance } from '../api/types.ts';
import { deployedVersion } from '../resources/deployment.ts';
import { publicEndpoint } from '../resources/ingress.ts';
import { mergeConditions } from '../runtime/conditions.ts';
import type { DesiredCondition } from '../runtime/conditions.ts';
import type { InstanceRef } from '../api/types.ts';
import type { Observations } from './context.ts';

export const databaseConditionTypes: Record<DatabaseName, ConditionType> = {
  postgres: 'PostgresReady',
  mongodb: 'MongoDBReady',
  redis: 'RedisReady',
};

const databaseLabels: Record<DatabaseName, string> = {
  postgres: 'PostgreSQL',
  mongodb: 'MongoDB',
  redis: 'Redis',
};

export interface StatusInput {
  instance: UserManagementInstance;
  ref: InstanceRef;
  obs: Observations;
  deployments: Partial<Record<ComponentName, V1Deployment>>;
  now: Date;
}

interface Rollout {
  available: boolean;
  complete: boolean;
  summary: string;
}

/** Mirrors `kubectl rollout status`: complete when every replica runs the current template. */
export function rolloutOf(deployment: V1Deployment | undefined): Rollout {
  if (!deployment) return { available: false, complete: false, summary: 'not created yet' };
  const want = deployment.spec?.replicas ?? 1;
  const status = deployment.status ?? {};
  const { readyReplicas = 0, updatedReplicas = 0, availableReplicas = 0, replicas = 0 } = status;
  const observed = (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0);
  return {
    // Serving, as the PodDisruptionBudget defines it: one pod of several may be away (a deleted
    // or evicted pod being replaced) without the instance going unready; a single pod may not.
    available: availableReplicas >= Math.max(Math.min(want, 1), want - 1),
    complete:
      observed &&
      updatedReplicas >= want &&
      replicas <= updatedReplicas &&
      availableReplicas >= want,
    summary: `${readyReplicas}/${want} ready`,
  };
}

function componentStatus(deployment: V1Deployment): ComponentStatus {
  const image = deployment.spec?.template.spec?.containers[0]?.image;
  return {
    ...(image ? { image } : {}),
    desiredReplicas: deployment.spec?.replicas ?? 1,
    readyReplicas: deployment.status?.readyReplicas ?? 0,
    updatedReplicas: deployment.status?.updatedReplicas ?? 0,
  };
}

function condition(
  type: ConditionType,
  ok: boolean,
  reason: string,
  message: string,
): DesiredCondition {
  return { type, status: ok ? 'True' : 'False', reason, message };
}

function degraded({ obs }: StatusInput): DesiredCondition {
  if (obs.error) return condition('Degraded', true, obs.error.reason, obs.error.message);
  if (obs.missingSecrets.length > 0) {
    return condition('Degraded', true, 'SecretNotFound', obs.missingSecrets.join('; '));
  }
  if (obs.migration?.state === 'failed') {
    return condition(
      'Degraded',
      true,
      'MigrationFailed',
      `Schema migration Job ${obs.migration.job} for version ${obs.migration.version} failed; the Deployments keep their version. Fix the cause, then delete the Job to run it again.`,
    );
  }
  return condition('Degraded', false, 'AsExpected', 'No problems found');
}

function progressing(
  input: StatusInput,
  rollouts: Record<ComponentName, Rollout>,
): DesiredCondition {
  const { obs, ref } = input;
  const target = ref.spec.version;
  if (obs.error || obs.missingSecrets.length > 0) {
    return condition(
      'Progressing',
      false,
      'Blocked',
      'Nothing rolls out until the problem reported by Degraded is fixed',
    );
  }
  const migration = obs.migration;
  if (migration?.state === 'failed') {
    return condition(
      'Progressing',
      false,
      'MigrationFailed',
      `Version ${target} cannot roll out: its migration failed`,
    );
  }
  if (migration?.state === 'running') {
    return condition(
      'Progressing',
      true,
      'MigrationRunning',
      `Waiting for schema migration Job ${migration.job} to complete before rolling out version ${target}`,
    );
  }
  const behind = componentNames.filter(
    (c) => !rollouts[c].complete || deployedVersion(input.deployments[c]) !== target,
  );
  if (behind.length > 0) {
    return condition(
      'Progressing',
      true,
      'RollingOut',
      `Rolling out version ${target}: waiting for ${behind.join(', ')}`,
    );
  }
  return condition('Progressing', false, 'RolloutComplete', `Version ${target} is rolled out`);
}

function ready(input: StatusInput, rollouts: Record<ComponentName, Rollout>): DesiredCondition {
  const waiting = [
    ...databaseNames
      .filter((db) => !input.obs.databases[db]?.ready)
      .map((db) => `${databaseLabels[db]} (${input.obs.databases[db]?.message ?? 'not checked'})`),
    ...componentNames
      .filter((c) => !rollouts[c].available)
      .map((c) => `${c} (${rollouts[c].summary})`),
  ];
  if (waiting.length === 0)
    return condition('Ready', true, 'AllComponentsReady', 'All components are ready.');
  const reason = databaseNames.some((db) => !input.obs.databases[db]?.ready)
    ? 'DatabasesNotReady'
    : 'ComponentsNotReady';
  return condition('Ready', false, reason, `Waiting for: ${waiting.join(', ')}.`);
}

/**
 * Separate from Ready on purpose: missing monitoring (no Prometheus Operator in the cluster)
 * must not make a serving instance look down. A reconcile that stopped before the monitoring
 * step keeps what the last one found.
 */
function monitoringReady({ obs, instance }: StatusInput): DesiredCondition {
  const seen = obs.monitoring;
  if (seen) return condition('MonitoringReady', seen.ready, seen.reason, seen.message);
  const before = instance.status?.conditions?.find((c) => c.type === 'MonitoringReady');
  if (before) {
    const { type, status, reason, message } = before;
    return { type, status, reason, message };
  }
  return {
    type: 'MonitoringReady',
    status: 'Unknown',
    reason: 'NotChecked',
    message: 'Not checked yet',
  };
}

export function computeStatus(input: StatusInput): InstanceStatus {
  const { instance, obs, deployments, now } = input;
  const rollouts = Object.fromEntries(
    componentNames.map((c) => [c, rolloutOf(deployments[c])]),
  ) as Record<ComponentName, Rollout>;
  const databaseConditions = databaseNames.map((db) => {
    const seen = obs.databases[db];
    return condition(
      databaseConditionTypes[db],
      seen?.ready ?? false,
      seen?.reason ?? 'NotChecked',
      seen?.message ?? 'Not checked yet',
    );
  });
  const desired = [
    ready(input, rollouts),
    progressing(input, rollouts),
    degraded(input),
    ...databaseConditions,
    monitoringReady(input),
  ];
  const generation = instance.metadata.generation;
  const components: NonNullable<InstanceStatus['components']> = {};
  for (const c of componentNames) {
    const deployment = deployments[c];
    if (deployment) components[c] = componentStatus(deployment);
  }
  const auth = deployments.auth;
  const version = rollouts.auth.complete ? deployedVersion(auth) : instance.status?.version;
  return {
    ...(generation === undefined ? {} : { observedGeneration: generation }),
    conditions: mergeConditions(instance.status?.conditions, desired, generation, now),
    ...(version ? { version } : {}),
    endpoint: publicEndpoint(input.ref),
    components,
  };
}
