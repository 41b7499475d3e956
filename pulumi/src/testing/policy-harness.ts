// Runs a policy pack's policies over a mocked plan the way the engine would, without the CLI:
// each resource policy sees every resource's inputs through ResourceValidationArgs, each stack
// policy sees all of them as PolicyResources. Property dependencies, which the engine records
// from Output references, are rebuilt from values: an input equal to another resource's id or ARN
// or name (as the fake provider reported them) is a reference to that resource.
import type {
  Policies,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidation,
  ResourceValidationArgs,
} from '@pulumi/policy';
import type { Resource } from '@pulumi/pulumi';
import type { PlannedResource } from './plan.ts';
import { mapSecrets } from './plan.ts';

export interface Violation {
  readonly policy: string;
  readonly resource: string;
  readonly message: string;
}

class NotApplicable extends Error {}

const defaultOptions: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

const typeOf = (resourceClass: unknown) =>
  (resourceClass as { __pulumiType?: string } | undefined)?.__pulumiType;

function typed(type: string) {
  return {
    isType: (resourceClass: new (...rest: never[]) => Resource) => typeOf(resourceClass) === type,
  };
}

/** Values under `value` (recursively) that name another resource. */
function references(
  value: unknown,
  byValue: Map<string, PlannedResource>,
  out: Set<PlannedResource>,
) {
  if (typeof value === 'string') {
    const target = byValue.get(value);
    if (target) out.add(target);
  } else if (Array.isArray(value)) {
    value.forEach((v) => references(v, byValue, out));
  } else if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach((v) => references(v, byValue, out));
  }
  return out;
}

export async function runPolicies(
  policies: Policies,
  planned: readonly PlannedResource[],
): Promise<Violation[]> {
  const custom = planned.filter((r) => r.custom);
  const byValue = new Map<string, PlannedResource>();
  for (const r of custom) {
    for (const value of [r.id, r.state.arn, r.state.name]) {
      if (typeof value !== 'string') continue;
      const other = byValue.get(value);
      if (other)
        throw new Error(`${r.type} ${r.name} and ${other.type} ${other.name} both report ${value}`);
      byValue.set(value, r);
    }
  }
  const props = (r: PlannedResource) => mapSecrets(r.inputs, (v) => v) as Record<string, unknown>;

  const policyResources = new Map<PlannedResource, PolicyResource>();
  for (const r of custom) {
    policyResources.set(r, {
      type: r.type,
      name: r.name,
      urn: r.urn,
      props: props(r),
      opts: defaultOptions,
      dependencies: [],
      propertyDependencies: {},
      ...typed(r.type),
      asType: () => undefined,
    });
  }
  for (const [r, policyResource] of policyResources) {
    const resolve = (targets: Set<PlannedResource>) =>
      [...targets].flatMap((t) => {
        const target = policyResources.get(t);
        return target && t !== r ? [target] : [];
      });
    policyResource.propertyDependencies = Object.fromEntries(
      Object.entries(r.inputs).map(([key, value]) => [
        key,
        resolve(references(value, byValue, new Set())),
      ]),
    );
    policyResource.dependencies = [
      ...new Set(Object.values(policyResource.propertyDependencies).flat()),
    ];
  }

  const violations: Violation[] = [];
  const notApplicable = (): never => {
    throw new NotApplicable();
  };
  for (const policy of policies) {
    const collect = (resource: string) => (message: string, urn?: string) =>
      violations.push({
        policy: policy.name,
        resource: urn?.split('::').pop() ?? resource,
        message,
      });
    if ('validateStack' in policy) {
      await policy.validateStack(
        {
          resources: [...policyResources.values()],
          stackTags: new Map(),
          getConfig: <T extends object>() => ({}) as T,
          notApplicable,
        },
        collect('stack'),
      );
      continue;
    }
    const validations: ResourceValidation[] = [policy.validateResource ?? []].flat();
    for (const resource of policyResources.values()) {
      const args: ResourceValidationArgs = {
        type: resource.type,
        name: resource.name,
        urn: resource.urn,
        props: resource.props,
        opts: defaultOptions,
        stackTags: new Map(),
        ...typed(resource.type),
        asType: (resourceClass) =>
          typeOf(resourceClass) === resource.type ? (resource.props as never) : undefined,
        getConfig: <T extends object>() => ({}) as T,
        notApplicable,
      };
      for (const validate of validations) {
        try {
          await validate(args, collect(resource.name));
        } catch (error) {
          if (!(error instanceof NotApplicable)) throw error;
        }
      }
    }
  }
  return violations;
}
