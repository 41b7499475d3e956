// The schema migration gate: the Deployments move to `spec.version` only after the migration
// Job for that version has succeeded. Until then they keep the version they run (or, on a new
// instance, are not created yet), so old code never meets a newer schema than it knows.
import type { V1Deployment, V1Job } from '@kubernetes/client-node';
import { deployedVersion } from '../../resources/deployment.ts';
import { childName } from '../../resources/meta.ts';
import { buildMigrationJob, jobState } from '../../resources/migration-job.ts';
import { ownedKinds } from '../../runtime/kinds.ts';
import type { Observations, ReconcileContext } from '../context.ts';

/** Returns the version the Deployments should run now. */
export async function ensureMigration(
  ctx: ReconcileContext,
  obs: Observations,
): Promise<string | undefined> {
  const { namespace, spec } = ctx.ref;
  const target = spec.version;
  const auth = ctx.caches.get(ownedKinds.Deployment, namespace, childName(ctx.ref, 'auth'));
  const running = deployedVersion(auth as V1Deployment | undefined);
  if (running === target) {
    obs.migration = { state: 'done', version: target };
    return target;
  }
  const job = buildMigrationJob(ctx.ref, target);
  const name = job.metadata?.name ?? '';
  const live = ctx.caches.get(ownedKinds.Job, namespace, name) as V1Job | undefined;
  const state = jobState(live);
  if (state === 'succeeded') {
    obs.migration = { state: 'succeeded', version: target, job: name };
    return target;
  }
  if ((await ctx.applier.apply('Job', job, `migration Job ${name}`)) === 'applied' && !live) {
    ctx.events.normal(
      ctx.instance,
      'MigrationStarted',
      `Started schema migration Job ${name} for version ${target}`,
    );
  }
  obs.migration = { state: state === 'failed' ? 'failed' : 'running', version: target, job: name };
  return running;
}
