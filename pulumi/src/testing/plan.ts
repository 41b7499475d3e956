// Runs the program for one stack under Pulumi's mocks (no CLI, no cloud) and records what it
// would register: the "plan" the tests assert on and the policy pack validates.
import { readFileSync } from 'node:fs';
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import { createEstate } from '../estate.ts';
import { loadSettings } from '../settings.ts';
import { environmentNames } from '../sizing.ts';
import type { EnvironmentName } from '../sizing.ts';
import { fakeId, fakeState } from './fake-aws.ts';

/** Stand-ins for the three secrets; tests check that none of them leaks into a snapshot. */
export const testSecrets = {
  'ums:postgresPassword': 'test-only-postgres-password',
  'ums:documentdbPassword': 'test-only-documentdb-password',
  'ums:redisAuthToken': 'test-only-redis-auth-token',
} as const;

export interface PlannedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** The `type$type$...` chain of the resource's ancestors, outermost first. */
  readonly parentTypes: readonly string[];
  readonly id: string;
  /** Inputs as the engine receives them; secrets still wrapped (see isSecretValue). */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** What the fake provider reported back (fake-aws.ts). */
  readonly state: Readonly<Record<string, unknown>>;
  readonly custom: boolean;
  /** The name of the explicit provider resource, if any. */
  readonly provider?: string;
}

export interface Plan {
  readonly resources: readonly PlannedResource[];
  readonly outputs: Record<string, unknown>;
  ofType(type: string): PlannedResource[];
  /** The one resource of `type` (whose name ends with `suffix`); throws unless exactly one. */
  one(type: string, suffix?: string): PlannedResource;
}

/** A secret as the mock monitor passes it: `{ <sig key>: <secret sig>, value }`. */
export function isSecretValue(value: unknown): value is { value: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] ===
      pulumi.runtime.specialSecretSig
  );
}

/** The inputs with every secret replaced by `replace(value)`, recursively. */
export function mapSecrets(value: unknown, replace: (secret: unknown) => unknown): unknown {
  if (isSecretValue(value)) return replace(value.value);
  if (Array.isArray(value)) return value.map((v) => mapSecrets(v, replace));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapSecrets(v, replace)]));
  }
  return value;
}

/** Pulumi.<stack>.yaml as the engine hands it to the program. */
export function stackConfig(stack: EnvironmentName): Record<string, string> {
  const file = new URL(`../../Pulumi.${stack}.yaml`, import.meta.url);
  const { config } = parse(readFileSync(file, 'utf8')) as { config: Record<string, unknown> };
  // The engine hands the program every value as a string; objects and lists as JSON.
  return Object.fromEntries(
    Object.entries(config).map(([key, v]) => [key, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
}

/** `urn:pulumi:<stack>::<project>::<ancestor types $ type>::<name>`, taken apart. */
function parseUrn(urn: string) {
  const [, , qualifiedType = '', name = ''] = urn.split('::');
  const types = qualifiedType.split('$');
  return { key: `${types.at(-1)}::${name}`, parentTypes: types.slice(0, -1) };
}

export async function planStack(stack: EnvironmentName): Promise<Plan> {
  const config = stackConfig(stack);
  const region = config['aws:region'];
  if (!region) throw new Error(`Pulumi.${stack}.yaml sets no aws:region`);
  pulumi.runtime.setAllConfig({ ...config, ...testSecrets }, Object.keys(testSecrets));

  const seen: Omit<PlannedResource, 'urn' | 'parentTypes'>[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const id = fakeId(args.type, args.name);
        const providerName = args.provider ? args.provider.split('::')[3] : undefined;
        const inputs = mapSecrets(args.inputs, (v) => v) as Record<string, unknown>;
        const state = fakeState(args.type, args.name, inputs, region);
        seen.push({
          type: args.type,
          name: args.name,
          id,
          inputs: args.inputs as Record<string, unknown>,
          state,
          custom: args.custom ?? true,
          ...(providerName && { provider: providerName }),
        });
        return { id, state };
      },
      call: (args) => {
        throw new Error(
          `the program called ${args.token}; invokes make plans depend on the account`,
        );
      },
    },
    'ums',
    stack,
    true,
  );

  const outputs = createEstate(loadSettings());
  const resolved = await new Promise<Record<string, unknown>>((resolve) =>
    pulumi.output(outputs).apply((v) => resolve(v as Record<string, unknown>)),
  );
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    getRegisteredResources(): Map<string, { urn: string }>;
  };
  // Resources that feed no output may still be registering; wait for the queue to drain.
  await pulumi.runtime.disconnect();
  const registered = new Map(
    [...monitor.getRegisteredResources().keys()].map((urn) => {
      const { key, parentTypes } = parseUrn(urn);
      return [key, { urn, parentTypes }];
    }),
  );
  const resources = seen.map((r) => {
    const found = registered.get(`${r.type}::${r.name}`);
    if (!found) throw new Error(`no URN recorded for ${r.type} ${r.name}`);
    return { ...r, ...found };
  });
  const ofType = (type: string) => resources.filter((r) => r.type === type);
  return {
    resources,
    outputs: resolved,
    ofType,
    one(type, suffix = '') {
      const matches = ofType(type).filter((r) => r.name.endsWith(suffix));
      const [match] = matches;
      if (!match || matches.length > 1) {
        throw new Error(`expected one ${type} ending "${suffix}", found ${matches.length}`);
      }
      return match;
    },
  };
}

/** Every stack's plan, one after the other: the Pulumi runtime is process-wide. */
export async function planAllStacks(): Promise<Record<EnvironmentName, Plan>> {
  const plans: Partial<Record<EnvironmentName, Plan>> = {};
  for (const stack of environmentNames) plans[stack] = await planStack(stack);
  return plans as Record<EnvironmentName, Plan>;
}
