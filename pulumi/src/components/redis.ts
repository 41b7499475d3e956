// ElastiCache Redis, shared by auth and profile (rate limits, lockout counters, the event
// stream). In-transit encryption with an AUTH token from a config secret, at-rest encryption with
// the databases key; with two or more nodes, automatic failover across AZs, because losing the
// primary must not lose the event stream.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { Sizing } from '../sizing.ts';
import { databaseSecurityGroup } from './database-access.ts';

export interface RedisArgs {
  /** The AWS identifier, which begins the endpoint's host name (`ums-prod.…`). */
  readonly identifier: string;
  readonly vpcId: pulumi.Input<string>;
  readonly subnetIds: pulumi.Input<string>[];
  readonly clientSecurityGroupId: pulumi.Input<string>;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly authToken: pulumi.Input<string>;
  readonly sizing: Sizing['redis'];
  /** Snapshot on delete: unconsumed events in the stream would be lost otherwise. */
  readonly finalSnapshot: boolean;
}

export const redisPort = 6379;

export class Redis extends pulumi.ComponentResource {
  /** `master.<group>....cache.amazonaws.com`: follows the primary through failovers. */
  readonly primaryEndpoint: pulumi.Output<string>;

  constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
    super('ums:elasticache:Redis', name, {}, opts);
    const parent = { parent: this };
    const subnetGroup = new aws.elasticache.SubnetGroup(
      name,
      { subnetIds: args.subnetIds, description: `${name}: database subnets` },
      parent,
    );
    const securityGroup = databaseSecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.vpcId,
        port: redisPort,
        clientSecurityGroupId: args.clientSecurityGroupId,
        description: `${name}: Redis from the EKS nodes`,
      },
      this,
    );
    const sizing = args.sizing;
    const replicated = sizing.nodes > 1;
    const group = new aws.elasticache.ReplicationGroup(
      name,
      {
        replicationGroupId: args.identifier,
        description: `${name}: rate limits, lockouts, event stream`,
        engine: 'redis',
        engineVersion: '7.1',
        parameterGroupName: 'default.redis7',
        nodeType: sizing.nodeType,
        numCacheClusters: sizing.nodes,
        automaticFailoverEnabled: replicated,
        multiAzEnabled: replicated,
        port: redisPort,
        subnetGroupName: subnetGroup.name,
        securityGroupIds: [securityGroup.id],
        transitEncryptionEnabled: true,
        authToken: args.authToken,
        atRestEncryptionEnabled: true,
        kmsKeyId: args.kmsKeyArn,
        snapshotRetentionLimit: sizing.snapshotRetentionDays,
        snapshotWindow: '02:00-03:00',
        maintenanceWindow: 'sun:05:30-sun:06:30',
        autoMinorVersionUpgrade: true,
        ...(args.finalSnapshot && { finalSnapshotIdentifier: `${args.identifier}-final` }),
      },
      parent,
    );
    this.primaryEndpoint = group.primaryEndpointAddress;
    this.registerOutputs({ primaryEndpoint: this.primaryEndpoint });
  }
}
