// The whole AWS estate of one environment, and the stack outputs that fill in the production
// UserManagementInstance (operator/examples/production.yaml): database hosts, the Kubernetes
// Secrets to create and the Secrets Manager secrets they come from, the image registry, and the
// IAM roles to annotate ServiceAccounts with.
import type * as pulumi from '@pulumi/pulumi';
import { ArgoCd } from './components/argocd.ts';
import { AvatarBucket } from './components/avatars.ts';
import { ConnectionSecret } from './components/connection-secret.ts';
import { DocumentDb, documentDbPort } from './components/documentdb.ts';
import { EksCluster } from './components/eks.ts';
import { KmsKeys } from './components/kms.ts';
import { Network } from './components/network.ts';
import { Postgres, postgresPort } from './components/postgres.ts';
import { Redis, redisPort } from './components/redis.ts';
import { Registry } from './components/registry.ts';
import { readArgoBootstrap } from './gitops.ts';
import { imageNames, instance, kubernetesSecrets, prefixFor, secretsManagerName } from './names.ts';
import type { Store } from './names.ts';
import type { Settings } from './settings.ts';
import { network as layout, sizing as sizingTable } from './sizing.ts';
import { workloadRoles } from './workload-roles.ts';

/** The master user of both databases; the services connect as it (the instance spec has one user). */
const databaseUser = 'ums';
/** The instance spec's default database name for PostgreSQL and MongoDB. */
const databaseName = 'ums';
/** The profile service's default S3_PREFIX. */
const avatarPrefix = 'avatars/';

export function createEstate(settings: Settings) {
  const env = settings.environment;
  const sizing = sizingTable[env];
  const prefix = prefixFor(env);

  const kms = new KmsKeys(`${prefix}-kms`, { deletionWindowInDays: sizing.kmsDeletionWindowDays });
  const network = new Network(`${prefix}-network`, {
    vpcCidr: layout.vpcCidr,
    availabilityZones: settings.availabilityZones,
    publicSubnetCidrs: layout.publicSubnetCidrs,
    privateSubnetCidrs: layout.privateSubnetCidrs,
    databaseSubnetCidrs: layout.databaseSubnetCidrs,
    natGateways: sizing.natGateways,
    flowLogRetentionDays: sizing.logRetentionDays,
  });
  const eks = new EksCluster(`${prefix}-eks`, {
    kubernetesVersion: settings.kubernetesVersion,
    subnetIds: network.privateSubnetIds,
    publicAccessCidrs: settings.clusterEndpointPublicAccessCidrs,
    secretsKeyArn: kms.keys.eks.arn,
    nodeGroup: sizing.nodeGroup,
    logRetentionDays: sizing.logRetentionDays,
    deletionProtection: sizing.deletionProtection,
  });

  const { postgres, documentDb, redis } = dataStores(settings, network, eks, kms);

  const avatars = new AvatarBucket(`${prefix}-avatars`, {
    kmsKeyArn: kms.keys.storage.arn,
    // As long as the database backups, so that a restored profile still finds its avatar.
    noncurrentVersionDays: sizing.postgres.backupRetentionDays,
    forceDestroy: !sizing.keepDataOnDestroy,
  });
  const registry = new Registry(`${prefix}-ecr`, {
    prefix,
    images: imageNames,
    kmsKeyArn: kms.keys.storage.arn,
    forceDelete: !sizing.keepDataOnDestroy,
  });

  const secrets = connectionSecrets(settings, kms);
  const serviceAccountRoles = workloadRoles({
    prefix,
    region: settings.region,
    cluster: eks,
    kms,
    secrets,
    avatars,
    avatarPrefix,
  });

  new ArgoCd(`${prefix}-argocd`, {
    kubeconfig: eks.kubeconfig,
    bootstrap: readArgoBootstrap(env),
    rootApplication: settings.argocdRootApplication,
  });

  return {
    region: settings.region,
    vpcId: network.vpcId,
    clusterName: eks.clusterName,
    kubeconfig: eks.kubeconfig,
    avatarBucket: avatars.bucketName,
    /** Paste into the UserManagementInstance spec (operator/examples/production.yaml). */
    instanceSpec: {
      imageRegistry: registry.imageRegistry,
      databases: instanceDatabases(postgres, documentDb, redis),
    },
    /** Kubernetes Secret name → the Secrets Manager secret holding its keys. */
    kubernetesSecrets: Object.fromEntries(
      Object.values(secrets).map((s) => [s.kubernetesName, s.secretName]),
    ),
    serviceAccountRoles,
  };
}

/** PostgreSQL, DocumentDB and Redis in the database subnets, reachable from the EKS nodes only. */
function dataStores(settings: Settings, network: Network, eks: EksCluster, kms: KmsKeys) {
  const prefix = prefixFor(settings.environment);
  const sizing = sizingTable[settings.environment];
  const store = {
    vpcId: network.vpcId,
    subnetIds: network.databaseSubnetIds,
    clientSecurityGroupId: eks.nodeSecurityGroupId,
    kmsKeyArn: kms.keys.databases.arn,
  };
  const postgres = new Postgres(`${prefix}-postgres`, {
    ...store,
    identifier: prefix,
    username: databaseUser,
    password: settings.secrets.postgresPassword,
    databaseName,
    sizing: sizing.postgres,
    deletionProtection: sizing.deletionProtection,
    finalSnapshot: sizing.keepDataOnDestroy,
  });
  const documentDb = new DocumentDb(`${prefix}-docdb`, {
    ...store,
    identifier: prefix,
    username: databaseUser,
    password: settings.secrets.documentdbPassword,
    sizing: sizing.documentdb,
    deletionProtection: sizing.deletionProtection,
    finalSnapshot: sizing.keepDataOnDestroy,
  });
  const redis = new Redis(`${prefix}-redis`, {
    ...store,
    identifier: prefix,
    authToken: settings.secrets.redisAuthToken,
    sizing: sizing.redis,
    finalSnapshot: sizing.keepDataOnDestroy,
  });

  return { postgres, documentDb, redis };
}

/** One Secrets Manager secret per Kubernetes Secret of the instance, with that Secret's keys. */
function connectionSecrets(settings: Settings, kms: KmsKeys): Record<Store, ConnectionSecret> {
  const env = settings.environment;
  const { secrets: credentials } = settings;
  const values: Record<Store, Record<string, pulumi.Input<string>>> = {
    postgres: { username: databaseUser, password: credentials.postgresPassword },
    mongodb: { username: databaseUser, password: credentials.documentdbPassword },
    redis: { password: credentials.redisAuthToken },
  };
  const stores = Object.keys(values) as Store[];
  return Object.fromEntries(
    stores.map((store) => {
      const kubernetesName = kubernetesSecrets[store];
      const secret = new ConnectionSecret(`${prefixFor(env)}-secret-${store}`, {
        secretName: secretsManagerName(env, kubernetesName),
        kubernetesName,
        description: `Kubernetes Secret ${kubernetesName} of ${instance.namespace}/${instance.name}`,
        values: values[store],
        kmsKeyArn: kms.keys.secrets.arn,
        recoveryWindowInDays: sizingTable[env].secretRecoveryWindowDays,
      });
      return [store, secret];
    }),
  ) as Record<Store, ConnectionSecret>;
}

/** `spec.databases` of the instance: external stores, the Secrets it reads credentials from. */
function instanceDatabases(postgres: Postgres, documentDb: DocumentDb, redis: Redis) {
  return {
    postgres: {
      external: {
        host: postgres.address,
        port: postgresPort,
        database: databaseName,
        sslMode: 'verify-full',
        credentialsSecret: { name: kubernetesSecrets.postgres },
      },
    },
    mongodb: {
      external: {
        host: documentDb.endpoint,
        port: documentDbPort,
        database: databaseName,
        tls: true,
        // DocumentDB's only replica set name.
        replicaSet: 'rs0',
        credentialsSecret: { name: kubernetesSecrets.mongodb },
      },
    },
    redis: {
      external: {
        host: redis.primaryEndpoint,
        port: redisPort,
        tls: true,
        credentialsSecret: { name: kubernetesSecrets.redis },
      },
    },
  };
}
