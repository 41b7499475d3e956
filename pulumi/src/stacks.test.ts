// The properties that matter, for each stack, on the plan the program registers under mocks, and
// the recorded plan itself (__snapshots__/stacks.test.ts.snap): any change to what a stack would
// create shows up in review as a diff of types, names and inputs. Update it deliberately with
// `npm test -w pulumi -- -u`, then read the diff.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { cidrContains } from './cidr.ts';
import { instance, operatorServiceAccount } from './names.ts';
import { environmentNames, network, sizing } from './sizing.ts';
import type { EnvironmentName } from './sizing.ts';
import { isSecretValue, mapSecrets, planAllStacks, testSecrets } from './testing/plan.ts';
import { planSnapshot, secretPlaceholder } from './testing/snapshot.ts';
import type { Plan, PlannedResource } from './testing/plan.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- resource inputs are untyped JSON the assertions walk by path
type Json = any;
const props = (r: PlannedResource): Json => mapSecrets(r.inputs, (v) => v);
const idsOf = (resources: PlannedResource[]) => resources.map((r) => r.id);
const zones = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

const T = {
  vpc: 'aws:ec2/vpc:Vpc',
  subnet: 'aws:ec2/subnet:Subnet',
  route: 'aws:ec2/route:Route',
  association: 'aws:ec2/routeTableAssociation:RouteTableAssociation',
  nat: 'aws:ec2/natGateway:NatGateway',
  flowLog: 'aws:ec2/flowLog:FlowLog',
  rds: 'aws:rds/instance:Instance',
  rdsSubnets: 'aws:rds/subnetGroup:SubnetGroup',
  rdsParameters: 'aws:rds/parameterGroup:ParameterGroup',
  docdb: 'aws:docdb/cluster:Cluster',
  docdbInstance: 'aws:docdb/clusterInstance:ClusterInstance',
  docdbSubnets: 'aws:docdb/subnetGroup:SubnetGroup',
  redis: 'aws:elasticache/replicationGroup:ReplicationGroup',
  redisSubnets: 'aws:elasticache/subnetGroup:SubnetGroup',
  ingress: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
  kmsKey: 'aws:kms/key:Key',
  eks: 'aws:eks/cluster:Cluster',
  nodeGroup: 'aws:eks/nodeGroup:NodeGroup',
  oidc: 'aws:iam/openIdConnectProvider:OpenIdConnectProvider',
  role: 'aws:iam/role:Role',
  bucket: 'aws:s3/bucket:Bucket',
  ecr: 'aws:ecr/repository:Repository',
  secretVersion: 'aws:secretsmanager/secretVersion:SecretVersion',
  helm: 'kubernetes:helm.sh/v3:Release',
  application: 'kubernetes:argoproj.io/v1alpha1:Application',
} as const;

let plans: Record<EnvironmentName, Plan>;
beforeAll(async () => {
  plans = await planAllStacks();
});
const planOf = (stack: EnvironmentName) => plans[stack];

describe.each(environmentNames)('stack %s', (stack) => {
  const expected = sizing[stack];
  const subnetsOf = (plan: Plan, tier: string) =>
    plan.ofType(T.subnet).filter((s) => props(s).tags['ums/tier'] === tier);

  test('when planned, then the plan matches the recorded one, with no secret value in it', () => {
    const snapshot = planSnapshot(planOf(stack));
    expect(snapshot).toMatchSnapshot();
    const text = JSON.stringify(snapshot);
    for (const value of Object.values(testSecrets)) expect(text).not.toContain(value);
    // Passwords and the token on the three data stores, again in the three connection secrets.
    expect(text.split(JSON.stringify(secretPlaceholder)).length - 1).toBe(6);
  });

  test('then every resource belongs to a ums: component and carries the stack prefix', () => {
    const plan = planOf(stack);
    for (const r of plan.resources) {
      expect(r.name.startsWith(`ums-${stack}`)).toBe(true);
      if (r.custom) expect(r.parentTypes[0]).toMatch(/^ums:[a-z0-9]+:[A-Z][A-Za-z]+$/);
      else expect(r.type).toMatch(/^ums:[a-z0-9]+:[A-Z][A-Za-z]+$/);
    }
  });

  test('then the VPC is the seed network, with public, private and database subnets in three AZs', () => {
    const plan = planOf(stack);
    expect(props(plan.one(T.vpc))).toMatchObject({
      cidrBlock: network.vpcCidr,
      enableDnsHostnames: true,
    });
    const tiers = {
      public: network.publicSubnetCidrs,
      private: network.privateSubnetCidrs,
      database: network.databaseSubnetCidrs,
    };
    for (const [tier, cidrs] of Object.entries(tiers)) {
      const subnets = subnetsOf(plan, tier).map(props);
      expect(subnets.map((s: Json) => [s.availabilityZone, s.cidrBlock])).toEqual(
        zones.map((az, i) => [az, cidrs[i]]),
      );
      for (const s of subnets) {
        expect(cidrContains(network.vpcCidr, s.cidrBlock)).toBe(true);
        expect(s.mapPublicIpOnLaunch).toBe(false);
      }
    }
    expect(plan.ofType(T.subnet)).toHaveLength(9);
  });

  test(`then there ${expected.natGateways === 'per-az' ? 'is a NAT gateway per AZ' : 'is one NAT gateway'}, and only public subnets route to the internet gateway`, () => {
    const plan = planOf(stack);
    const nats = plan.ofType(T.nat);
    expect(nats).toHaveLength(expected.natGateways === 'per-az' ? 3 : 1);
    const publicIds = idsOf(subnetsOf(plan, 'public'));
    for (const nat of nats) expect(publicIds).toContain(props(nat).subnetId);

    const tableOf = (subnet: PlannedResource) =>
      plan.ofType(T.association).find((a) => props(a).subnetId === subnet.id)?.inputs.routeTableId;
    const routesOf = (subnet: PlannedResource) =>
      plan
        .ofType(T.route)
        .filter((r) => props(r).routeTableId === tableOf(subnet))
        .map(props);
    for (const s of subnetsOf(plan, 'public')) {
      expect(routesOf(s)).toEqual([
        expect.objectContaining({
          gatewayId: plan.one('aws:ec2/internetGateway:InternetGateway').id,
        }),
      ]);
    }
    subnetsOf(plan, 'private').forEach((s, i) => {
      const nat = expected.natGateways === 'per-az' ? nats[i] : nats[0];
      expect(routesOf(s)).toEqual([
        { routeTableId: tableOf(s), destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat?.id },
      ]);
    });
    for (const s of subnetsOf(plan, 'database')) expect(routesOf(s)).toEqual([]);
  });

  test('then VPC flow logs record all traffic', () => {
    const plan = planOf(stack);
    expect(props(plan.one(T.flowLog))).toMatchObject({
      vpcId: plan.one(T.vpc).id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
    });
  });

  test(`then PostgreSQL is ${expected.postgres.instanceClass}, ${expected.postgres.multiAz ? 'Multi-AZ' : 'single-AZ'}, private, KMS-encrypted and backed up`, () => {
    const plan = planOf(stack);
    const db = props(plan.one(T.rds));
    const databasesKey = plan.one(T.kmsKey, '-databases');
    expect(db).toMatchObject({
      identifier: `ums-${stack}`,
      engine: 'postgres',
      engineVersion: '15',
      instanceClass: expected.postgres.instanceClass,
      multiAz: expected.postgres.multiAz,
      publiclyAccessible: false,
      storageEncrypted: true,
      kmsKeyId: databasesKey.state.arn,
      backupRetentionPeriod: expected.postgres.backupRetentionDays,
      deletionProtection: stack === 'prod',
      skipFinalSnapshot: stack === 'dev',
      dbSubnetGroupName: plan.one(T.rdsSubnets).state.name,
      parameterGroupName: plan.one(T.rdsParameters).state.name,
    });
    expect(isSecretValue(plan.one(T.rds).inputs.password)).toBe(true);
    expect(props(plan.one(T.rdsParameters)).parameters).toContainEqual({
      name: 'rds.force_ssl',
      value: '1',
    });
  });

  test('then every database subnet group holds exactly the database subnets', () => {
    const plan = planOf(stack);
    const databaseIds = idsOf(subnetsOf(plan, 'database'));
    for (const type of [T.rdsSubnets, T.docdbSubnets, T.redisSubnets]) {
      expect(props(plan.one(type)).subnetIds).toEqual(databaseIds);
    }
  });

  test('then the data stores admit only the EKS node security group, on their own port', () => {
    const plan = planOf(stack);
    const rules = plan.ofType(T.ingress).map(props);
    expect(rules.map((r: Json) => r.fromPort).sort((a: number, b: number) => a - b)).toEqual([
      5432, 6379, 27017,
    ]);
    for (const rule of rules) {
      expect(rule).toMatchObject({
        ipProtocol: 'tcp',
        toPort: rule.fromPort,
        referencedSecurityGroupId: `sg-ums-${stack}-eks-cluster`,
      });
      expect(rule.cidrIpv4).toBeUndefined();
    }
  });

  test(`then DocumentDB has ${expected.documentdb.instances} instance(s) and encrypted storage`, () => {
    const plan = planOf(stack);
    expect(props(plan.one(T.docdb))).toMatchObject({
      clusterIdentifier: `ums-${stack}`,
      storageEncrypted: true,
      kmsKeyId: plan.one(T.kmsKey, '-databases').state.arn,
      backupRetentionPeriod: expected.documentdb.backupRetentionDays,
    });
    const instances = plan.ofType(T.docdbInstance).map(props);
    expect(instances).toHaveLength(expected.documentdb.instances);
    for (const i of instances) expect(i.instanceClass).toBe(expected.documentdb.instanceClass);
  });

  test('then Redis encrypts in transit and at rest, with the AUTH token from secret config', () => {
    const plan = planOf(stack);
    const group = plan.one(T.redis);
    const replicated = expected.redis.nodes > 1;
    expect(props(group)).toMatchObject({
      replicationGroupId: `ums-${stack}`,
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      numCacheClusters: expected.redis.nodes,
      automaticFailoverEnabled: replicated,
      multiAzEnabled: replicated,
    });
    expect(isSecretValue(group.inputs.authToken)).toBe(true);
  });

  test('then the EKS control plane and nodes are in the private subnets, Secrets are KMS-encrypted', () => {
    const plan = planOf(stack);
    const privateIds = idsOf(subnetsOf(plan, 'private'));
    expect(props(plan.one(T.eks))).toMatchObject({
      vpcConfig: {
        subnetIds: privateIds,
        endpointPrivateAccess: true,
        publicAccessCidrs: ['203.0.113.0/24'],
      },
      encryptionConfig: {
        resources: ['secrets'],
        provider: { keyArn: plan.one(T.kmsKey, '-eks').state.arn },
      },
    });
    const group = expected.nodeGroup;
    expect(props(plan.one(T.nodeGroup))).toMatchObject({
      subnetIds: privateIds,
      instanceTypes: group.instanceTypes,
      scalingConfig: {
        minSize: group.minSize,
        desiredSize: group.desiredSize,
        maxSize: group.maxSize,
      },
    });
  });

  test('then each IRSA role trusts only its ServiceAccount through the cluster OIDC provider', () => {
    const plan = planOf(stack);
    const provider = plan.one(T.oidc);
    const issuer = String(props(provider).url).replace('https://', '');
    const accounts = {
      auth: `${instance.namespace}:ums-auth`,
      profile: `${instance.namespace}:ums-profile`,
      operator: `${operatorServiceAccount.namespace}:${operatorServiceAccount.name}`,
    };
    for (const [key, account] of Object.entries(accounts)) {
      const trust = JSON.parse(props(plan.one(T.role, `-irsa-${key}`)).assumeRolePolicy);
      expect(trust.Statement).toEqual([
        {
          Effect: 'Allow',
          Principal: { Federated: provider.state.arn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${issuer}:aud`]: 'sts.amazonaws.com',
              [`${issuer}:sub`]: `system:serviceaccount:${account}`,
            },
          },
        },
      ]);
    }
  });

  test('then the avatars bucket is KMS-encrypted, versioned and blocks public access', () => {
    const plan = planOf(stack);
    const bucket = plan.one(T.bucket);
    const about = (type: string) => props(plan.one(type, '-avatars'));
    expect(
      about(
        'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
      ),
    ).toEqual({
      bucket: bucket.id,
      rules: [
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: 'aws:kms',
            kmsMasterKeyId: plan.one(T.kmsKey, '-storage').state.arn,
          },
          bucketKeyEnabled: true,
        },
      ],
    });
    expect(about('aws:s3/bucketVersioning:BucketVersioning')).toEqual({
      bucket: bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    expect(about('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock')).toEqual({
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
  });

  test('then ECR has a repository per image, immutable and scanned on push', () => {
    const repos = planOf(stack).ofType(T.ecr).map(props);
    expect(repos.map((r: Json) => r.name)).toEqual(
      ['auth', 'profile', 'web', 'operator'].map((i) => `ums-${stack}/${i}`),
    );
    for (const r of repos)
      expect(r).toMatchObject({
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
      });
  });

  test('then every KMS key rotates and the connection secrets are stored as secrets', () => {
    const plan = planOf(stack);
    for (const key of plan.ofType(T.kmsKey)) expect(props(key).enableKeyRotation).toBe(true);
    for (const version of plan.ofType(T.secretVersion))
      expect(isSecretValue(version.inputs.secretString)).toBe(true);
    expect(plan.ofType(T.secretVersion)).toHaveLength(3);
  });

  test(`then Argo CD is installed on the new cluster${stack === 'dev' ? ' without' : ' with'} the cdk8s root Application`, () => {
    const plan = planOf(stack);
    const release = plan.one(T.helm);
    expect(props(release)).toMatchObject({ chart: 'argo-cd', namespace: 'argocd' });
    expect(Object.keys(props(release).values.configs.cm)).toEqual(
      expect.arrayContaining([
        'resource.customizations.health.platform.ums.dev_UserManagementInstance',
      ]),
    );
    const provider = plan.one('pulumi:providers:kubernetes');
    expect(release.provider).toBe(provider.name);
    expect(JSON.parse(props(provider).kubeconfig).clusters[0].cluster.server).toBe(
      plan.one(T.eks).state.endpoint,
    );
    const apps = plan.ofType(T.application);
    if (stack === 'dev') {
      expect(apps).toEqual([]);
    } else {
      expect(apps.map(props)).toEqual([
        expect.objectContaining({
          spec: expect.objectContaining({
            source: expect.objectContaining({ path: `cdk8s/dist/${stack}` }),
          }),
        }),
      ]);
    }
  });
});
