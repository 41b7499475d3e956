// The recorded plan in a form worth reviewing in a diff: one entry per resource, sorted, with its
// parent component, its explicit provider, and its inputs. Secrets appear only as "[secret]", and
// JSON documents (IAM policies, the kubeconfig) are shown parsed rather than as escaped strings.
import type { Plan } from './plan.ts';
import { mapSecrets } from './plan.ts';

export const secretPlaceholder = '[secret]';

function readable(value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith('{')) {
    try {
      return readable(JSON.parse(value));
    } catch {
      return value;
    }
  }
  if (Array.isArray(value)) return value.map(readable);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, readable(v)]));
  }
  return value;
}

export function planSnapshot(plan: Plan) {
  return plan.resources
    .map((r) => ({
      type: r.type,
      name: r.name,
      parent: r.parentTypes.at(-1) ?? null,
      ...(r.provider && { provider: r.provider }),
      inputs: readable(mapSecrets(r.inputs, () => secretPlaceholder)),
    }))
    .sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
}
