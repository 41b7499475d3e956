// The pack over the mocked plan of each stack: silent on what the program plans, and loud on a
// plan with one thing made wrong, each the way a careless change would make it.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { fakeId, fakeState } from '../src/testing/fake-aws.ts';
import { planAllStacks } from '../src/testing/plan.ts';
import type { Plan, PlannedResource } from '../src/testing/plan.ts';
import { runPolicies } from '../src/testing/policy-harness.ts';
import { environmentNames } from '../src/sizing.ts';
import type { EnvironmentName } from '../src/sizing.ts';
import { policies } from './policies.ts';

type Inputs = Record<string, unknown>;
type Resources = readonly PlannedResource[];

let plans: Record<EnvironmentName, Plan>;
beforeAll(async () => {
  plans = await planAllStacks();
});
const prod = () => plans.prod;

/** The plan with the one resource of `type` (named `…suffix`) changed. */
const changed = (type: string, suffix: string, change: (inputs: Inputs) => Inputs): Resources => {
  const target = prod().one(type, suffix);
  return prod().resources.map((r) =>
    r === target ? { ...r, inputs: change({ ...r.inputs }) } : r,
  );
};
const without = (type: string, suffix = ''): Resources => {
  const target = prod().one(type, suffix);
  return prod().resources.filter((r) => r !== target);
};
/** The plan plus a resource the program does not create. */
const plus = (type: string, inputs: Inputs): Resources => {
  const name = 'ums-prod-intruder';
  const extra: PlannedResource = {
    type,
    name,
    urn: `urn:pulumi:prod::ums::${type}::${name}`,
    parentTypes: [],
    id: fakeId(type, name),
    inputs,
    state: fakeState(type, name, inputs, 'eu-west-1'),
    custom: true,
  };
  return [...prod().resources, extra];
};
type Condition = Record<string, Record<string, string>>;
/** The role with its (single) trust statement's condition rewritten: `sub` is the subject key. */
const withCondition = (
  inputs: Inputs,
  change: (condition: Condition, sub: string) => Condition,
) => {
  const trust = JSON.parse(String(inputs.assumeRolePolicy));
  const [statement] = trust.Statement;
  const sub = Object.keys(statement.Condition.StringEquals).find((k) => k.endsWith(':sub')) ?? '';
  statement.Condition = change(statement.Condition, sub);
  return { ...inputs, assumeRolePolicy: JSON.stringify(trust) };
};
const omit = (record: Record<string, string> = {}, key: string) =>
  Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));

describe.each(environmentNames)('when stack %s is planned', (stack) => {
  test('then the pack reports no violation', async () => {
    expect(await runPolicies(policies, plans[stack].resources)).toEqual([]);
  });
});

const T = {
  rds: 'aws:rds/instance:Instance',
  redis: 'aws:elasticache/replicationGroup:ReplicationGroup',
  role: 'aws:iam/role:Role',
  eks: 'aws:eks/cluster:Cluster',
};

const cases: [string, string, () => Resources][] = [
  [
    'a publicly accessible RDS instance',
    'rds-private',
    () => changed(T.rds, '', (i) => ({ ...i, publiclyAccessible: true })),
  ],
  [
    'an RDS instance outside any subnet group',
    'rds-private',
    () => changed(T.rds, '', ({ dbSubnetGroupName: _, ...i }) => i),
  ],
  [
    'unencrypted RDS storage',
    'rds-encrypted-and-backed-up',
    () => changed(T.rds, '', (i) => ({ ...i, storageEncrypted: false })),
  ],
  [
    'RDS without backups',
    'rds-encrypted-and-backed-up',
    () => changed(T.rds, '', (i) => ({ ...i, backupRetentionPeriod: 0 })),
  ],
  [
    'unencrypted DocumentDB',
    'documentdb-encrypted',
    () => changed('aws:docdb/cluster:Cluster', '', (i) => ({ ...i, storageEncrypted: false })),
  ],
  [
    'Redis without TLS',
    'elasticache-encrypted-with-auth',
    () => changed(T.redis, '', (i) => ({ ...i, transitEncryptionEnabled: false })),
  ],
  [
    'Redis without an AUTH token',
    'elasticache-encrypted-with-auth',
    () => changed(T.redis, '', ({ authToken: _, ...i }) => i),
  ],
  [
    'a database in a public subnet',
    'databases-in-isolated-subnets',
    () => {
      const publicSubnet = prod().one('aws:ec2/subnet:Subnet', '-public-eu-west-1a');
      return changed('aws:rds/subnetGroup:SubnetGroup', '', (i) => ({
        ...i,
        subnetIds: [publicSubnet.id, ...(i.subnetIds as string[]).slice(1)],
      }));
    },
  ],
  [
    'a security group rule open to 0.0.0.0/0 on PostgreSQL',
    'no-database-port-open-to-the-internet',
    () =>
      plus('aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule', {
        securityGroupId: prod().one('aws:ec2/securityGroup:SecurityGroup', '-postgres-sg').id,
        cidrIpv4: '0.0.0.0/0',
        ipProtocol: 'tcp',
        fromPort: 5432,
        toPort: 5432,
      }),
  ],
  [
    'a security group open to ::/0 on a port range covering MongoDB',
    'no-database-port-open-to-the-internet',
    () =>
      plus('aws:ec2/securityGroup:SecurityGroup', {
        ingress: [{ protocol: 'tcp', fromPort: 27000, toPort: 28000, ipv6CidrBlocks: ['::/0'] }],
      }),
  ],
  [
    'a security group rule allowing all traffic from anywhere',
    'no-database-port-open-to-the-internet',
    () =>
      plus('aws:ec2/securityGroupRule:SecurityGroupRule', {
        type: 'ingress',
        protocol: '-1',
        fromPort: 0,
        toPort: 0,
        cidrBlocks: ['0.0.0.0/0'],
        securityGroupId: prod().one('aws:ec2/securityGroup:SecurityGroup', '-redis-sg').id,
      }),
  ],
  [
    'an unencrypted bucket',
    'buckets-encrypted-and-private',
    () =>
      without(
        'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
      ),
  ],
  [
    'a bucket that allows public policies',
    'buckets-encrypted-and-private',
    () =>
      changed('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', '', (i) => ({
        ...i,
        blockPublicPolicy: false,
      })),
  ],
  [
    'a mutable ECR repository',
    'ecr-immutable-and-scanned',
    () =>
      changed('aws:ecr/repository:Repository', '-auth', (i) => ({
        ...i,
        imageTagMutability: 'MUTABLE',
      })),
  ],
  [
    'a KMS key that never rotates',
    'kms-key-rotation',
    () => changed('aws:kms/key:Key', '-secrets', (i) => ({ ...i, enableKeyRotation: false })),
  ],
  [
    'an EKS API open to the whole internet',
    'eks-private-and-encrypted',
    () =>
      changed(T.eks, '', (i) => ({
        ...i,
        vpcConfig: { ...(i.vpcConfig as Inputs), publicAccessCidrs: ['0.0.0.0/0'] },
      })),
  ],
  [
    'EKS without Secrets encryption',
    'eks-private-and-encrypted',
    () => changed(T.eks, '', ({ encryptionConfig: _, ...i }) => i),
  ],
  [
    'an IRSA trust without a sub condition',
    'irsa-trust-pins-service-account',
    () =>
      changed(T.role, '-irsa-auth', (i) =>
        withCondition(i, (condition, sub) => ({ StringEquals: omit(condition.StringEquals, sub) })),
      ),
  ],
  [
    'an IRSA trust that matches any ServiceAccount with StringLike',
    'irsa-trust-pins-service-account',
    () =>
      changed(T.role, '-irsa-profile', (i) =>
        withCondition(i, (condition, sub) => ({
          StringEquals: omit(condition.StringEquals, sub),
          StringLike: { [sub]: 'system:serviceaccount:*:*' },
        })),
      ),
  ],
  ['a VPC without flow logs', 'vpc-flow-logs', () => without('aws:ec2/flowLog:FlowLog')],
];

describe('when one thing in the prod plan is made wrong', () => {
  test.each(cases)('(%s), then %s reports it, and only it', async (_what, policy, plan) => {
    const violations = await runPolicies(policies, plan());
    expect(violations.length).toBeGreaterThan(0);
    expect(new Set(violations.map((v) => v.policy))).toEqual(new Set([policy]));
  });
});

test('when the pack is loaded, then every policy is mandatory and named once', () => {
  const names = policies.map((p) => p.name);
  expect(new Set(names).size).toBe(names.length);
  for (const p of policies) expect(p.enforcementLevel).toBe('mandatory');
});
