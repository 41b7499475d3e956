// Managed databases: StatefulSet, headless Service and PodDisruptionBudget per store. A store
// switched to `external` loses its managed objects (its volume stays: StatefulSets keep claims).
import type { V1StatefulSet } from '@kubernetes/client-node';
import { databaseNames } from '../../api/database-schema.ts';
import type { DatabaseName } from '../../api/database-schema.ts';
import { databaseDefaults } from '../../api/defaults.ts';
import { buildDatabaseStatefulSet } from '../../resources/database-stateful-set.ts';
import { childName } from '../../resources/meta.ts';
import { buildPodDisruptionBudget } from '../../resources/pod-disruption-budget.ts';
import { buildDatabaseService } from '../../resources/service.ts';
import { ownedKinds } from '../../runtime/kinds.ts';
import type { DatabaseObservation, Observations, ReconcileContext } from '../context.ts';

export function statefulSetReadiness(
  live: V1StatefulSet | undefined,
  name: string,
): DatabaseObservation {
  if (!live)
    return {
      ready: false,
      reason: 'StatefulSetNotFound',
      message: `StatefulSet ${name} is being created`,
    };
  const want = live.spec?.replicas ?? 1;
  const ready = live.status?.readyReplicas ?? 0;
  const current = (live.status?.observedGeneration ?? 0) >= (live.metadata?.generation ?? 0);
  return current && ready >= want
    ? {
        ready: true,
        reason: 'StatefulSetReady',
        message: `StatefulSet ${name}: ${ready}/${want} ready`,
      }
    : {
        ready: false,
        reason: 'StatefulSetNotReady',
        message: `StatefulSet ${name}: ${ready}/${want} ready`,
      };
}

async function removeManaged(ctx: ReconcileContext, database: DatabaseName): Promise<void> {
  const name = childName(ctx.ref, database);
  const { namespace } = ctx.ref;
  await ctx.applier.deleteIfPresent('StatefulSet', namespace, name, `${database} StatefulSet`);
  await ctx.applier.deleteIfPresent('Service', namespace, name, `${database} Service`);
  await ctx.applier.deleteIfPresent(
    'PodDisruptionBudget',
    namespace,
    name,
    `${database} PodDisruptionBudget`,
  );
}

export async function ensureDatabases(ctx: ReconcileContext, obs: Observations): Promise<void> {
  for (const database of databaseNames) {
    const statefulSet = buildDatabaseStatefulSet(ctx.ref, database);
    if (!statefulSet) {
      await removeManaged(ctx, database);
      continue;
    }
    const name = statefulSet.metadata?.name ?? '';
    await ctx.applier.apply('StatefulSet', statefulSet, `${database} StatefulSet`);
    await ctx.applier.apply(
      'Service',
      buildDatabaseService(ctx.ref, database, databaseDefaults[database].port),
      `${database} Service`,
    );
    await ctx.applier.apply(
      'PodDisruptionBudget',
      buildPodDisruptionBudget(ctx.ref, database),
      `${database} PodDisruptionBudget`,
    );
    const live = ctx.caches.get(ownedKinds.StatefulSet, ctx.ref.namespace, name) as
      V1StatefulSet | undefined;
    obs.databases[database] = statefulSetReadiness(live, name);
  }
}
