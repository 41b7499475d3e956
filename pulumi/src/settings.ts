// Everything a stack is configured with, read once and checked before any resource exists: the
// environment is the stack's name (its sizing is code, in sizing.ts), the rest comes from
// Pulumi.<stack>.yaml, and the three credentials are secrets that have no default on purpose.
import * as pulumi from '@pulumi/pulumi';
import { parseCidr } from './cidr.ts';
import { availabilityZoneCount, environmentNames } from './sizing.ts';
import type { EnvironmentName } from './sizing.ts';

export interface Settings {
  readonly environment: EnvironmentName;
  readonly region: string;
  readonly availabilityZones: readonly string[];
  readonly kubernetesVersion: string;
  /** Who may reach the EKS API over the internet; nodes and pods use the private endpoint. */
  readonly clusterEndpointPublicAccessCidrs: readonly string[];
  /** Whether to apply cdk8s's AppProject and root Application for this environment. */
  readonly argocdRootApplication: boolean;
  readonly secrets: {
    readonly postgresPassword: pulumi.Output<string>;
    readonly documentdbPassword: pulumi.Output<string>;
    readonly redisAuthToken: pulumi.Output<string>;
  };
}

/** A rule a credential must follow, as AWS states it for the service that stores it. */
export interface CredentialRule {
  readonly minLength: number;
  readonly maxLength: number;
  /** Characters the service refuses. */
  readonly forbidden: RegExp;
}

// RDS: 8-128 printable ASCII except / @ " and space. DocumentDB: 8-100, the same exceptions.
// ElastiCache AUTH: 16-128 printable ASCII except / @ " and space.
export const credentialRules = {
  postgresPassword: { minLength: 8, maxLength: 128, forbidden: /[/@"\s]|[^\x20-\x7e]/ },
  documentdbPassword: { minLength: 8, maxLength: 100, forbidden: /[/@"\s]|[^\x20-\x7e]/ },
  redisAuthToken: { minLength: 16, maxLength: 128, forbidden: /[/@"\s]|[^\x20-\x7e]/ },
} as const satisfies Record<string, CredentialRule>;

/** Why a credential breaks its rule, or undefined when it is fine. Never echoes the value. */
export function credentialProblem(value: string, rule: CredentialRule): string | undefined {
  if (value.length < rule.minLength || value.length > rule.maxLength) {
    return `must be ${rule.minLength} to ${rule.maxLength} characters long`;
  }
  if (rule.forbidden.test(value)) {
    return 'must be printable ASCII without /, @, " or spaces';
  }
  return undefined;
}

function environmentOf(stack: string): EnvironmentName {
  const known: readonly string[] = environmentNames;
  if (!known.includes(stack)) {
    throw new Error(`stack "${stack}" is not one of ${environmentNames.join(', ')}`);
  }
  return stack as EnvironmentName;
}

function requireStrings(config: pulumi.Config, key: string): string[] {
  const value = config.requireObject<unknown>(key);
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new Error(`ums:${key} must be a list of strings`);
  }
  return value as string[];
}

function requireCidrs(config: pulumi.Config, key: string): string[] {
  const cidrs = requireStrings(config, key);
  const bad = cidrs.filter((c) => !parseCidr(c));
  if (cidrs.length === 0 || bad.length > 0) {
    throw new Error(
      `ums:${key} must be a non-empty list of a.b.c.d/n CIDRs (bad: ${bad.join(', ')})`,
    );
  }
  return cidrs;
}

/** A secret from config, refused (without showing it) when the service would refuse it. */
function requireCredential(config: pulumi.Config, key: keyof typeof credentialRules) {
  return config.requireSecret(key).apply((value) => {
    const problem = credentialProblem(value, credentialRules[key]);
    if (problem) throw new Error(`ums:${key} ${problem}`);
    return value;
  });
}

export function loadSettings(): Settings {
  const config = new pulumi.Config('ums');
  const region = new pulumi.Config('aws').require('region');
  const availabilityZones = requireStrings(config, 'availabilityZones');
  if (
    availabilityZones.length !== availabilityZoneCount ||
    availabilityZones.some((az) => !az.startsWith(region))
  ) {
    throw new Error(`ums:availabilityZones must list ${availabilityZoneCount} AZs of ${region}`);
  }
  return {
    environment: environmentOf(pulumi.getStack()),
    region,
    availabilityZones,
    kubernetesVersion: config.require('kubernetesVersion'),
    clusterEndpointPublicAccessCidrs: requireCidrs(config, 'clusterEndpointPublicAccessCidrs'),
    argocdRootApplication: config.requireBoolean('argocdRootApplication'),
    secrets: {
      postgresPassword: requireCredential(config, 'postgresPassword'),
      documentdbPassword: requireCredential(config, 'documentdbPassword'),
      redisAuthToken: requireCredential(config, 'redisAuthToken'),
    },
  };
}
