// DocumentDB for the profile service (MongoDB-compatible; the architecture allows only features
// DocumentDB has): 1, 2 or 3 instances by environment, so staging and prod survive the loss of
// the writer. TLS is required by the parameter group and the TTL monitor is on, since audit log
// retention is a TTL index.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { Sizing } from '../sizing.ts';
import { databaseSecurityGroup } from './database-access.ts';

export interface DocumentDbArgs {
  /** The AWS identifier, which begins the endpoint's host name (`ums-prod.…`). */
  readonly identifier: string;
  readonly vpcId: pulumi.Input<string>;
  readonly subnetIds: pulumi.Input<string>[];
  readonly clientSecurityGroupId: pulumi.Input<string>;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly username: string;
  readonly password: pulumi.Input<string>;
  readonly sizing: Sizing['documentdb'];
  readonly deletionProtection: boolean;
  readonly finalSnapshot: boolean;
}

export const documentDbPort = 27017;

export class DocumentDb extends pulumi.ComponentResource {
  /** The cluster endpoint, which always points at the writer. */
  readonly endpoint: pulumi.Output<string>;

  constructor(name: string, args: DocumentDbArgs, opts?: pulumi.ComponentResourceOptions) {
    super('ums:docdb:DocumentDb', name, {}, opts);
    const parent = { parent: this };
    const subnetGroup = new aws.docdb.SubnetGroup(
      name,
      { subnetIds: args.subnetIds, description: `${name}: database subnets` },
      parent,
    );
    const parameters = new aws.docdb.ClusterParameterGroup(
      name,
      {
        family: 'docdb5.0',
        description: `${name}: TLS required, TTL indexes enforced`,
        parameters: [
          { name: 'tls', value: 'enabled' },
          { name: 'ttl_monitor', value: 'enabled' },
        ],
      },
      parent,
    );
    const securityGroup = databaseSecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.vpcId,
        port: documentDbPort,
        clientSecurityGroupId: args.clientSecurityGroupId,
        description: `${name}: DocumentDB from the EKS nodes`,
      },
      this,
    );
    const sizing = args.sizing;
    const cluster = new aws.docdb.Cluster(
      name,
      {
        clusterIdentifier: args.identifier,
        engine: 'docdb',
        engineVersion: '5.0.0',
        masterUsername: args.username,
        masterPassword: args.password,
        port: documentDbPort,
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: [securityGroup.id],
        dbClusterParameterGroupName: parameters.name,
        storageEncrypted: true,
        kmsKeyId: args.kmsKeyArn,
        backupRetentionPeriod: sizing.backupRetentionDays,
        preferredBackupWindow: '02:00-03:00',
        preferredMaintenanceWindow: 'sun:04:30-sun:05:30',
        deletionProtection: args.deletionProtection,
        skipFinalSnapshot: !args.finalSnapshot,
        ...(args.finalSnapshot && { finalSnapshotIdentifier: `${args.identifier}-final` }),
      },
      parent,
    );
    for (let i = 0; i < sizing.instances; i++) {
      new aws.docdb.ClusterInstance(
        `${name}-${i + 1}`,
        {
          identifier: `${args.identifier}-${i + 1}`,
          clusterIdentifier: cluster.id,
          instanceClass: sizing.instanceClass,
          caCertIdentifier: 'rds-ca-rsa2048-g1',
          autoMinorVersionUpgrade: true,
        },
        parent,
      );
    }
    this.endpoint = cluster.endpoint;
    this.registerOutputs({ endpoint: this.endpoint });
  }
}
