// RDS PostgreSQL for the auth service: PostgreSQL 15 as in the seed, in the database subnets,
// never publicly accessible, storage encrypted with the databases key,
// TLS enforced by the parameter group (the operator's example connects with sslmode=verify-full),
// Multi-AZ and deletion protection where the environment's sizing asks for them.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { Sizing } from '../sizing.ts';
import { databaseSecurityGroup } from './database-access.ts';

export interface PostgresArgs {
  /** The AWS identifier, which begins the endpoint's host name (`ums-prod.…`). */
  readonly identifier: string;
  readonly vpcId: pulumi.Input<string>;
  readonly subnetIds: pulumi.Input<string>[];
  readonly clientSecurityGroupId: pulumi.Input<string>;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly username: string;
  readonly password: pulumi.Input<string>;
  /** The database the auth service migrates into (the instance spec's default, `ums`). */
  readonly databaseName: string;
  readonly sizing: Sizing['postgres'];
  readonly deletionProtection: boolean;
  readonly finalSnapshot: boolean;
}

export const postgresPort = 5432;

export class Postgres extends pulumi.ComponentResource {
  readonly address: pulumi.Output<string>;

  constructor(name: string, args: PostgresArgs, opts?: pulumi.ComponentResourceOptions) {
    super('ums:rds:Postgres', name, {}, opts);
    const parent = { parent: this };
    const subnetGroup = new aws.rds.SubnetGroup(
      name,
      { subnetIds: args.subnetIds, description: `${name}: database subnets` },
      parent,
    );
    const parameters = new aws.rds.ParameterGroup(
      name,
      {
        family: 'postgres15',
        description: `${name}: TLS only, slow statements logged`,
        parameters: [
          { name: 'rds.force_ssl', value: '1' },
          { name: 'log_min_duration_statement', value: '500' },
        ],
      },
      parent,
    );
    const securityGroup = databaseSecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.vpcId,
        port: postgresPort,
        clientSecurityGroupId: args.clientSecurityGroupId,
        description: `${name}: PostgreSQL from the EKS nodes`,
      },
      this,
    );
    const sizing = args.sizing;
    const instance = new aws.rds.Instance(
      name,
      {
        identifier: args.identifier,
        engine: 'postgres',
        engineVersion: '15',
        instanceClass: sizing.instanceClass,
        dbName: args.databaseName,
        username: args.username,
        password: args.password,
        port: postgresPort,
        multiAz: sizing.multiAz,
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: [securityGroup.id],
        parameterGroupName: parameters.name,
        publiclyAccessible: false,
        storageType: 'gp3',
        allocatedStorage: sizing.allocatedStorage,
        maxAllocatedStorage: sizing.maxAllocatedStorage,
        storageEncrypted: true,
        kmsKeyId: args.kmsKeyArn,
        // The CA whose bundle clients pin for verify-full.
        caCertIdentifier: 'rds-ca-rsa2048-g1',
        backupRetentionPeriod: sizing.backupRetentionDays,
        backupWindow: '02:00-03:00',
        maintenanceWindow: 'sun:03:30-sun:04:30',
        autoMinorVersionUpgrade: true,
        copyTagsToSnapshot: true,
        enabledCloudwatchLogsExports: ['postgresql'],
        deletionProtection: args.deletionProtection,
        skipFinalSnapshot: !args.finalSnapshot,
        ...(args.finalSnapshot && { finalSnapshotIdentifier: `${args.identifier}-final` }),
      },
      parent,
    );
    this.address = instance.address;
    this.registerOutputs({ address: this.address });
  }
}
