// The Ingress and the NetworkPolicies; both are removed when the spec turns them off.
import { buildIngress } from '../../resources/ingress.ts';
import { buildNetworkPolicies, networkPolicyNames } from '../../resources/network-policy.ts';
import type { ReconcileContext } from '../context.ts';

export async function ensureIngress(ctx: ReconcileContext): Promise<void> {
  const ingress = buildIngress(ctx.ref);
  if (ingress) await ctx.applier.apply('Ingress', ingress, 'Ingress');
  else await ctx.applier.deleteIfPresent('Ingress', ctx.ref.namespace, ctx.ref.name, 'Ingress');
}

export async function ensureNetworkPolicies(ctx: ReconcileContext): Promise<void> {
  const policies = buildNetworkPolicies(ctx.ref);
  const wanted = new Set(policies.map((p) => p.metadata?.name));
  for (const policy of policies) {
    await ctx.applier.apply('NetworkPolicy', policy, `NetworkPolicy ${policy.metadata?.name}`);
  }
  for (const name of networkPolicyNames(ctx.ref)) {
    if (wanted.has(name)) continue;
    await ctx.applier.deleteIfPresent(
      'NetworkPolicy',
      ctx.ref.namespace,
      name,
      `NetworkPolicy ${name}`,
    );
  }
}
