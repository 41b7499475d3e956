// The rules every stack of this program must keep, checked on the planned resources: by
// `pulumi preview --policy-pack pulumi/policy` where the CLI runs, and under Jest against the
// mocked plan of each stack (policies.test.ts). Resource policies look at one resource's inputs;
// stack policies follow references between resources (a database's subnet group to its subnets'
// route tables), which the engine reports as property dependencies, known even in a preview.
import * as aws from '@pulumi/aws';
import { validateResourceOfType } from '@pulumi/policy';
import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from '@pulumi/policy';

/** PostgreSQL, MongoDB/DocumentDB, Redis. */
export const databasePorts = [5432, 27017, 6379] as const;
const anywhere = ['0.0.0.0/0', '::/0'];

const resourcePolicies: ResourceValidationPolicy[] = [
  {
    name: 'rds-private',
    description: 'RDS instances are not publicly accessible and sit in a named DB subnet group.',
    enforcementLevel: 'mandatory',
    validateResource: validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
      if (db.publiclyAccessible) report('publiclyAccessible must be false');
      // Without a subnet group RDS uses the default VPC, whose subnets are public.
      if (!db.dbSubnetGroupName) report('dbSubnetGroupName must name a database subnet group');
    }),
  },
  {
    name: 'rds-encrypted-and-backed-up',
    description: 'RDS storage is encrypted with a customer-managed KMS key and backed up daily.',
    enforcementLevel: 'mandatory',
    validateResource: validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
      if (!db.storageEncrypted || !db.kmsKeyId) report('storage must be encrypted with kmsKeyId');
      if (!db.backupRetentionPeriod || db.backupRetentionPeriod < 1) {
        report('backupRetentionPeriod must be at least 1 day');
      }
    }),
  },
  {
    name: 'documentdb-encrypted',
    description: 'DocumentDB storage is encrypted with a customer-managed KMS key.',
    enforcementLevel: 'mandatory',
    validateResource: validateResourceOfType(aws.docdb.Cluster, (cluster, _args, report) => {
      if (!cluster.storageEncrypted || !cluster.kmsKeyId) {
        report('storage must be encrypted with kmsKeyId');
      }
    }),
  },
  {
    name: 'elasticache-encrypted-with-auth',
    description: 'ElastiCache encrypts in transit and at rest and requires an AUTH token.',
    enforcementLevel: 'mandatory',
    validateResource: validateResourceOfType(
      aws.elasticache.ReplicationGroup,
      (group, _args, report) => {
        if (!group.transitEncryptionEnabled) report('transitEncryptionEnabled must be true');
        if (!group.atRestEncryptionEnabled) report('atRestEncryptionEnabled must be true');
        if (!group.authToken && !group.userGroupIds?.length)
          report('an authToken (or RBAC user group) is required');
      },
    ),
  },
  {
    name: 'no-database-port-open-to-the-internet',
    description: `No ingress from 0.0.0.0/0 or ::/0 that covers a database port (${databasePorts.join(', ')}).`,
    enforcementLevel: 'mandatory',
    validateResource: [
      validateResourceOfType(aws.ec2.SecurityGroup, (group, _args, report) => {
        for (const rule of group.ingress ?? []) {
          const cidrs = [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])];
          checkOpenPort(report, cidrs, rule.protocol, rule.fromPort, rule.toPort);
        }
      }),
      validateResourceOfType(aws.ec2.SecurityGroupRule, (rule, _args, report) => {
        if (rule.type !== 'ingress') return;
        const cidrs = [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])];
        checkOpenPort(report, cidrs, rule.protocol, rule.fromPort, rule.toPort);
      }),
      validateResourceOfType(aws.vpc.SecurityGroupIngressRule, (rule, _args, report) => {
        const cidrs = [rule.cidrIpv4, rule.cidrIpv6].filter((c): c is string => !!c);
        checkOpenPort(report, cidrs, rule.ipProtocol, rule.fromPort, rule.toPort);
      }),
    ],
  },
  {
    name: 'ecr-immutable-and-scanned',
    description: 'ECR repositories have immutable tags and scan every push.',
    enforcementLevel: 'mandatory',
    validateResource: validateResourceOfType(aws.ecr.Repository, (repo, _args, report) => {
      if (repo.imageTagMutability !== 'IMMUTABLE') report('imageTagMutability must be IMMUTABLE');
      if (!repo.imageScanningConfiguration?.scanOnPush) report('scanOnPush must be true');
    }),
  },
  {
    name: 'kms-key-rotation',
    description: 'Customer-managed KMS keys rotate automatically.',
    enforcementLevel: 'mandatory',
    validateResource: validateResourceOfType(aws.kms.Key, (key, _args, report) => {
      if (!key.enableKeyRotation) report('enableKeyRotation must be true');
    }),
  },
  {
    name: 'eks-private-and-encrypted',
    description:
      'EKS has its private endpoint on, a public endpoint (if any) limited to listed CIDRs, and Secrets encrypted with KMS.',
    enforcementLevel: 'mandatory',
    validateResource: validateResourceOfType(aws.eks.Cluster, (cluster, _args, report) => {
      const vpc = cluster.vpcConfig;
      if (!vpc.endpointPrivateAccess) report('endpointPrivateAccess must be true');
      if (vpc.endpointPublicAccess !== false) {
        const cidrs = vpc.publicAccessCidrs ?? [];
        if (cidrs.length === 0 || cidrs.some((c) => anywhere.includes(c))) {
          report('publicAccessCidrs must list specific networks, not the whole internet');
        }
      }
      if (!cluster.encryptionConfig?.resources.includes('secrets')) {
        report('encryptionConfig must cover "secrets"');
      }
    }),
  },
  {
    name: 'irsa-trust-pins-service-account',
    description:
      'A role federated to an OIDC provider requires the exact audience and ServiceAccount subject.',
    enforcementLevel: 'mandatory',
    validateResource: validateResourceOfType(aws.iam.Role, (role, _args, report) => {
      // Unknown in a first preview (it names the OIDC provider's ARN); checked again at `up`.
      if (!role.assumeRolePolicy) return;
      const document =
        typeof role.assumeRolePolicy === 'string'
          ? (JSON.parse(role.assumeRolePolicy) as TrustPolicy)
          : (role.assumeRolePolicy as unknown as TrustPolicy);
      for (const statement of document.Statement ?? []) {
        // Only web-identity trusts of an OIDC provider (IRSA); SAML federation is another matter.
        if (!statement.Principal?.Federated?.includes(':oidc-provider/')) continue;
        const equals = statement.Condition?.StringEquals ?? {};
        const key = (suffix: string) => Object.keys(equals).find((k) => k.endsWith(suffix));
        const sub = key(':sub');
        const aud = key(':aud');
        if (!sub || !/^system:serviceaccount:[^:*?]+:[^:*?]+$/.test(String(equals[sub]))) {
          report(
            'the trust must require StringEquals on <issuer>:sub = system:serviceaccount:<namespace>:<name>',
          );
        }
        if (!aud || equals[aud] !== 'sts.amazonaws.com') {
          report('the trust must require StringEquals on <issuer>:aud = sts.amazonaws.com');
        }
      }
    }),
  },
];

interface TrustPolicy {
  Statement?: {
    Principal?: { Federated?: string };
    Condition?: { StringEquals?: Record<string, unknown> };
  }[];
}

function covers(fromPort: number | undefined, toPort: number | undefined, port: number): boolean {
  // Protocol "-1" (all traffic) has no ports, or 0 to 0 / -1 to -1.
  if (fromPort === undefined || toPort === undefined || (fromPort <= 0 && toPort <= 0)) return true;
  return fromPort <= port && port <= toPort;
}

function checkOpenPort(
  report: ReportViolation,
  cidrs: readonly string[],
  protocol: string,
  fromPort: number | undefined,
  toPort: number | undefined,
) {
  if (!cidrs.some((c) => anywhere.includes(c))) return;
  if (!['tcp', '6', '-1', 'all'].includes(String(protocol))) return;
  const open = databasePorts.filter((port) => covers(fromPort, toPort, port));
  if (open.length > 0)
    report(`ingress from the internet reaches database port(s) ${open.join(', ')}`);
}

const dependencies = (r: PolicyResource, property: string) =>
  r.propertyDependencies[property] ?? [];
const ofType = (resources: PolicyResource[], type: string) =>
  resources.filter((r) => r.type === type);

/** Subnets whose route table sends traffic to an internet gateway, or that hand out public IPs. */
function publicSubnets(resources: PolicyResource[]): Set<string> {
  const isGateway = (r: PolicyResource) => r.type === 'aws:ec2/internetGateway:InternetGateway';
  const internetTables = new Set<string>();
  for (const route of ofType(resources, 'aws:ec2/route:Route')) {
    if (dependencies(route, 'gatewayId').some(isGateway)) {
      dependencies(route, 'routeTableId').forEach((t) => internetTables.add(t.urn));
    }
  }
  for (const table of ofType(resources, 'aws:ec2/routeTable:RouteTable')) {
    if (dependencies(table, 'routes').some(isGateway)) internetTables.add(table.urn);
  }
  const result = new Set<string>();
  for (const association of ofType(
    resources,
    'aws:ec2/routeTableAssociation:RouteTableAssociation',
  )) {
    if (dependencies(association, 'routeTableId').some((t) => internetTables.has(t.urn))) {
      dependencies(association, 'subnetId').forEach((s) => result.add(s.urn));
    }
  }
  for (const subnet of ofType(resources, 'aws:ec2/subnet:Subnet')) {
    if (subnet.props.mapPublicIpOnLaunch) result.add(subnet.urn);
  }
  return result;
}

const subnetGroupTypes = [
  'aws:rds/subnetGroup:SubnetGroup',
  'aws:docdb/subnetGroup:SubnetGroup',
  'aws:elasticache/subnetGroup:SubnetGroup',
];

const stackPolicies: StackValidationPolicy[] = [
  {
    name: 'databases-in-isolated-subnets',
    description: 'Database subnet groups contain no subnet that routes to an internet gateway.',
    enforcementLevel: 'mandatory',
    validateStack: ({ resources }, report) => {
      const exposed = publicSubnets(resources);
      for (const group of resources.filter((r) => subnetGroupTypes.includes(r.type))) {
        const bad = dependencies(group, 'subnetIds').filter((s) => exposed.has(s.urn));
        if (bad.length > 0) {
          report(
            `${group.name} includes public subnet(s) ${bad.map((s) => s.name).join(', ')}`,
            group.urn,
          );
        }
      }
    },
  },
  {
    name: 'buckets-encrypted-and-private',
    description: 'Every S3 bucket has KMS default encryption and all four public access blocks.',
    enforcementLevel: 'mandatory',
    validateStack: ({ resources }, report) => {
      const about = (bucket: PolicyResource, type: string) =>
        ofType(resources, type).filter((r) =>
          dependencies(r, 'bucket').some((b) => b.urn === bucket.urn),
        );
      for (const bucket of ofType(resources, 'aws:s3/bucket:Bucket')) {
        const encrypted = about(
          bucket,
          'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
        ).some((c) =>
          (c.props.rules as SseRule[] | undefined)?.some((rule) =>
            rule.applyServerSideEncryptionByDefault?.sseAlgorithm?.startsWith('aws:kms'),
          ),
        );
        if (!encrypted) report(`${bucket.name} has no KMS default encryption`, bucket.urn);
        const blocked = about(
          bucket,
          'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
        ).some(
          (b) =>
            b.props.blockPublicAcls &&
            b.props.blockPublicPolicy &&
            b.props.ignorePublicAcls &&
            b.props.restrictPublicBuckets,
        );
        if (!blocked) report(`${bucket.name} does not block public access`, bucket.urn);
      }
    },
  },
  {
    name: 'vpc-flow-logs',
    description: 'Every VPC records flow logs.',
    enforcementLevel: 'mandatory',
    validateStack: ({ resources }, report) => {
      const logged = new Set(
        ofType(resources, 'aws:ec2/flowLog:FlowLog').flatMap((f) =>
          dependencies(f, 'vpcId').map((v) => v.urn),
        ),
      );
      for (const vpc of ofType(resources, 'aws:ec2/vpc:Vpc')) {
        if (!logged.has(vpc.urn)) report(`${vpc.name} has no flow log`, vpc.urn);
      }
    },
  },
];

interface SseRule {
  applyServerSideEncryptionByDefault?: { sseAlgorithm?: string };
}

export const policies = [...resourcePolicies, ...stackPolicies];
