// The application: its settings, Deployments, Services, autoscalers and disruption budgets.
import type { V1Deployment } from '@kubernetes/client-node';
import { componentNames } from '../../api/instance-schema.ts';
import { buildConfigMap } from '../../resources/config-map.ts';
import { buildDeployment, deployedVersion } from '../../resources/deployment.ts';
import { buildHorizontalPodAutoscaler } from '../../resources/horizontal-pod-autoscaler.ts';
import { childName } from '../../resources/meta.ts';
import { buildPodDisruptionBudget } from '../../resources/pod-disruption-budget.ts';
import { buildAppService } from '../../resources/service.ts';
import { ownedKinds } from '../../runtime/kinds.ts';
import type { Observations, ReconcileContext } from '../context.ts';

export async function ensureConfig(ctx: ReconcileContext): Promise<void> {
  await ctx.applier.apply('ConfigMap', buildConfigMap(ctx.ref), 'settings ConfigMap');
}

/** Applies the Deployments at `version`; nothing before the first migration has succeeded. */
export async function ensureDeployments(
  ctx: ReconcileContext,
  version: string | undefined,
  obs: Observations,
): Promise<void> {
  if (version === undefined) return;
  obs.rolloutVersion = version;
  const auth = ctx.caches.get(ownedKinds.Deployment, ctx.ref.namespace, childName(ctx.ref, 'auth'));
  const before = deployedVersion(auth as V1Deployment | undefined);
  for (const component of componentNames) {
    await ctx.applier.apply(
      'Deployment',
      buildDeployment(ctx.ref, component, version),
      `${component} Deployment`,
    );
  }
  if (before !== version) {
    const message = before
      ? `Rolling out version ${version} (was ${before})`
      : `Deploying version ${version}`;
    ctx.events.normal(ctx.instance, 'RolloutStarted', message);
  }
}

export async function ensureServices(ctx: ReconcileContext): Promise<void> {
  for (const component of componentNames) {
    await ctx.applier.apply('Service', buildAppService(ctx.ref, component), `${component} Service`);
  }
}

export async function ensureAutoscalers(ctx: ReconcileContext): Promise<void> {
  for (const component of componentNames) {
    const what = `${component} HorizontalPodAutoscaler`;
    const hpa = buildHorizontalPodAutoscaler(ctx.ref, component);
    if (hpa) await ctx.applier.apply('HorizontalPodAutoscaler', hpa, what);
    else {
      const name = childName(ctx.ref, component);
      await ctx.applier.deleteIfPresent('HorizontalPodAutoscaler', ctx.ref.namespace, name, what);
    }
  }
}

export async function ensureDisruptionBudgets(ctx: ReconcileContext): Promise<void> {
  for (const component of componentNames) {
    await ctx.applier.apply(
      'PodDisruptionBudget',
      buildPodDisruptionBudget(ctx.ref, component),
      `${component} PodDisruptionBudget`,
    );
  }
}
