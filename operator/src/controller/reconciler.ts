// reconcile(): one pass over one instance, as a short list of steps. Each step applies what a
// pure build*() function describes; the status is computed from what the steps observed and
// written only when it changed.
import type { V1Deployment, V1StatefulSet } from '@kubernetes/client-node';
import { databaseNames } from '../api/database-schema.ts';
import { componentNames } from '../api/instance-schema.ts';
import type { ComponentName } from '../api/instance-schema.ts';
import type { InstanceStatus } from '../api/status-schema.ts';
import { childName } from '../resources/meta.ts';
import { canonicalJson } from '../runtime/canonical-json.ts';
import { flippedConditions } from '../runtime/conditions.ts';
import { ReconcileError } from '../runtime/kube-errors.ts';
import { ownedKinds } from '../runtime/kinds.ts';
import { emptyObservations } from './context.ts';
import type { Observations, ReconcileContext } from './context.ts';
import { computeStatus } from './status.ts';
import { ensureDatabases, statefulSetReadiness } from './steps/databases.ts';
import { ensureFinalizer, finalize } from './steps/finalizer.ts';
import { ensureMigration } from './steps/migration.ts';
import { ensureMonitoring } from './steps/monitoring.ts';
import { ensureIngress, ensureNetworkPolicies } from './steps/networking.ts';
import { checkReferencedSecrets, ensureGeneratedSecrets } from './steps/secrets.ts';
import {
  ensureAutoscalers,
  ensureConfig,
  ensureDeployments,
  ensureDisruptionBudgets,
  ensureServices,
} from './steps/workloads.ts';

export interface ReconcileResult {
  /** Reconcile again after this long even if nothing changes (something is not watched). */
  requeueAfterMs?: number;
  /** The Ready condition this reconcile computed (for ums_operator_instance_ready); unset while deleting. */
  ready?: boolean;
}

/** A failed reconcile's error, carrying the Ready condition of the status it still wrote. */
export type ReconcileFailure = Error & { ready?: boolean };

const isReady = (status: InstanceStatus): boolean =>
  (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** Referenced Secrets are not watched (see docs/operator.md, "RBAC"), so a missing one is polled. */
export const missingSecretRetryMs = 15_000;

export async function reconcile(ctx: ReconcileContext): Promise<ReconcileResult> {
  if (ctx.instance.metadata.deletionTimestamp) {
    await finalize(ctx);
    return {};
  }
  const obs = emptyObservations();
  try {
    await ensureFinalizer(ctx);
    await ensureGeneratedSecrets(ctx);
    if (!(await checkReferencedSecrets(ctx, obs))) {
      const status = await finish(ctx, obs);
      return { requeueAfterMs: missingSecretRetryMs, ready: isReady(status) };
    }
    await ensureConfig(ctx);
    await ensureDatabases(ctx, obs);
    const version = await ensureMigration(ctx, obs);
    await ensureDeployments(ctx, version, obs);
    await ensureServices(ctx);
    await ensureAutoscalers(ctx);
    await ensureDisruptionBudgets(ctx);
    await ensureIngress(ctx);
    await ensureNetworkPolicies(ctx);
    await ensureMonitoring(ctx, obs);
  } catch (err) {
    const error =
      err instanceof ReconcileError
        ? err
        : new ReconcileError('ReconcileError', 'reconciling', err);
    // A conflict only means our copy was stale; the retry a moment later is not worth a
    // Degraded flip and a warning Event.
    if (error.code === 409) throw error;
    obs.error = { reason: error.reason, message: error.message };
    const status = await finish(ctx, obs).catch(() => undefined);
    if (status) (error as ReconcileFailure).ready = isReady(status);
    throw error;
  }
  const ready = isReady(await finish(ctx, obs));
  // Installing the Prometheus Operator's CRDs queues nothing: look again now and then.
  return obs.monitoring?.recheck ? { requeueAfterMs: ctx.discovery.recheckMs, ready } : { ready };
}

function liveDeployments(ctx: ReconcileContext): Partial<Record<ComponentName, V1Deployment>> {
  const found: Partial<Record<ComponentName, V1Deployment>> = {};
  for (const component of componentNames) {
    const name = childName(ctx.ref, component);
    const live = ctx.caches.get(ownedKinds.Deployment, ctx.ref.namespace, name);
    if (live) found[component] = live as V1Deployment;
  }
  return found;
}

// A reconcile that stopped early did not look at the managed databases; the cache knows.
function observeSkippedDatabases(ctx: ReconcileContext, obs: Observations): void {
  for (const database of databaseNames) {
    if (obs.databases[database] || !ctx.ref.spec.databases[database].managed) continue;
    const name = childName(ctx.ref, database);
    const live = ctx.caches.get(ownedKinds.StatefulSet, ctx.ref.namespace, name);
    obs.databases[database] = statefulSetReadiness(live as V1StatefulSet | undefined, name);
  }
}

/** Writes the status if it changed, and turns condition flips into Events; returns the status. */
async function finish(ctx: ReconcileContext, obs: Observations): Promise<InstanceStatus> {
  observeSkippedDatabases(ctx, obs);
  // If the cache has not yet delivered our last status write, compare against what we wrote.
  const memo = ctx.statusMemo.get(ctx.ref.uid);
  const before =
    memo && memo.basedOn === ctx.instance.metadata.resourceVersion
      ? memo.status
      : ctx.instance.status;
  const status = computeStatus({
    instance: { ...ctx.instance, ...(before ? { status: before } : {}) },
    ref: ctx.ref,
    obs,
    deployments: liveDeployments(ctx),
    now: ctx.now(),
  });
  if (canonicalJson(status) === canonicalJson(before ?? {})) return status;
  await ctx.instances.applyStatus(ctx.instance, status);
  ctx.statusMemo.set(ctx.ref.uid, { basedOn: ctx.instance.metadata.resourceVersion, status });
  ctx.logger.info(
    {
      instance: `${ctx.ref.namespace}/${ctx.ref.name}`,
      conditions: Object.fromEntries((status.conditions ?? []).map((c) => [c.type, c.reason])),
    },
    'status updated',
  );
  recordFlips(ctx, before, status);
  return status;
}

function recordFlips(
  ctx: ReconcileContext,
  before: InstanceStatus | undefined,
  after: InstanceStatus,
): void {
  for (const flipped of flippedConditions(before?.conditions, after.conditions ?? [])) {
    const { type, status, reason, message } = flipped;
    if (type === 'Ready' && status === 'True') ctx.events.normal(ctx.instance, 'Ready', message);
    else if (type === 'Ready' && before?.conditions)
      ctx.events.warning(ctx.instance, 'NotReady', message);
    else if (type === 'Degraded' && status === 'True')
      ctx.events.warning(ctx.instance, reason, message);
    else if (type === 'Degraded' && before?.conditions)
      ctx.events.normal(ctx.instance, 'Recovered', message);
    else if (type === 'MonitoringReady' && status === 'False')
      ctx.events.warning(ctx.instance, reason, message);
  }
}
