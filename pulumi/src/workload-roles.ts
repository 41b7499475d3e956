// The IRSA roles of the workloads, least privilege each. A pod reads only the connection secrets
// of the stores it uses (for the Secrets Store CSI driver, which fetches them as the pod); the
// profile service also reads and writes avatars under its prefix; the operator reads all three,
// so that it (or External Secrets running under its account) can turn them into the Kubernetes
// Secrets the instance references.
import * as pulumi from '@pulumi/pulumi';
import type { AvatarBucket } from './components/avatars.ts';
import type { ConnectionSecret } from './components/connection-secret.ts';
import type { EksCluster } from './components/eks.ts';
import type { Statement } from './components/iam.ts';
import type { KmsKeys } from './components/kms.ts';
import { ServiceAccountRole } from './components/service-account-role.ts';
import { instance, operatorServiceAccount, serviceAccountName } from './names.ts';
import type { Store } from './names.ts';

export interface WorkloadRolesArgs {
  readonly prefix: string;
  readonly region: string;
  readonly cluster: EksCluster;
  readonly kms: KmsKeys;
  readonly secrets: Readonly<Record<Store, ConnectionSecret>>;
  readonly avatars: AvatarBucket;
  /** The profile service's S3_PREFIX. */
  readonly avatarPrefix: string;
}

/** `<namespace>/<ServiceAccount>` → the ARN for its `eks.amazonaws.com/role-arn` annotation. */
export function workloadRoles(args: WorkloadRolesArgs): Record<string, pulumi.Output<string>> {
  const { kms, region } = args;
  // A secret is readable only together with its KMS key, and that key only through Secrets Manager.
  const readSecrets = (...stores: Store[]): Statement[] => [
    {
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Resource: stores.map((store) => args.secrets[store].arn),
    },
    {
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: kms.keys.secrets.arn,
      Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } },
    },
  ];
  const writeAvatars: Statement[] = [
    {
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: pulumi.interpolate`${args.avatars.bucketArn}/${args.avatarPrefix}*`,
    },
    {
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: kms.keys.storage.arn,
      Condition: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
    },
  ];
  const workloads = [
    {
      key: 'auth',
      account: { namespace: instance.namespace, name: serviceAccountName('auth') },
      statements: readSecrets('postgres', 'redis'),
    },
    {
      key: 'profile',
      account: { namespace: instance.namespace, name: serviceAccountName('profile') },
      statements: [...readSecrets('mongodb', 'redis'), ...writeAvatars],
    },
    {
      key: 'operator',
      account: operatorServiceAccount,
      statements: readSecrets('postgres', 'mongodb', 'redis'),
    },
  ];
  return Object.fromEntries(
    workloads.map(({ key, account, statements }) => {
      const role = new ServiceAccountRole(`${args.prefix}-irsa-${key}`, {
        oidcProviderArn: args.cluster.oidcProviderArn,
        oidcIssuerUrl: args.cluster.oidcIssuerUrl,
        namespace: account.namespace,
        serviceAccount: account.name,
        statements,
      });
      return [`${account.namespace}/${account.name}`, role.roleArn];
    }),
  );
}
