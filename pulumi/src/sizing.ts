// What each environment gets, from the seed README's "Environment Configuration" table (dev:
// db.t3.micro, one DocumentDB instance, no Multi-AZ; staging: db.t3.small, two DocumentDB
// instances, Multi-AZ; prod: db.t3.medium Multi-AZ, a three-instance DocumentDB cluster, full
// redundancy and backups) and its Kubernetes table (web 100–200m / 128–256Mi, auth and profile
// 250–500m / 256–512Mi, 1/2/3+ replicas each, as cdk8s/src/environments.ts renders them).
// Everything here is a plain value so that tests and docs can read it without Pulumi.

export const environmentNames = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof environmentNames)[number];

export interface NodeGroupSizing {
  readonly instanceTypes: readonly string[];
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  /** GiB of gp3 root volume per node. */
  readonly diskSize: number;
}

export interface Sizing {
  /** One NAT gateway for the VPC, or one per AZ so that losing an AZ keeps egress. */
  readonly natGateways: 'single' | 'per-az';
  /** Retention of VPC flow logs and EKS control-plane logs, in days. */
  readonly logRetentionDays: number;
  readonly nodeGroup: NodeGroupSizing;
  readonly postgres: {
    readonly instanceClass: string;
    readonly allocatedStorage: number;
    /** Storage autoscaling ceiling, GiB. */
    readonly maxAllocatedStorage: number;
    readonly multiAz: boolean;
    readonly backupRetentionDays: number;
  };
  readonly documentdb: {
    readonly instanceClass: string;
    readonly instances: number;
    readonly backupRetentionDays: number;
  };
  readonly redis: {
    readonly nodeType: string;
    /** Primary plus replicas; automatic failover and Multi-AZ need two or more. */
    readonly nodes: number;
    readonly snapshotRetentionDays: number;
  };
  /** Deletion protection on the databases and the cluster: `pulumi destroy` fails until lifted. */
  readonly deletionProtection: boolean;
  /**
   * On destroy, keep a final snapshot of each data store and refuse to delete a bucket or
   * registry that still holds objects; off only where the data is disposable.
   */
  readonly keepDataOnDestroy: boolean;
  /** Days a deleted KMS key or secret can still be recovered (secrets: 0 deletes at once). */
  readonly kmsDeletionWindowDays: number;
  readonly secretRecoveryWindowDays: number;
}

export const sizing: Readonly<Record<EnvironmentName, Sizing>> = {
  // One of everything; nothing survives an AZ outage and a teardown leaves nothing behind.
  dev: {
    natGateways: 'single',
    logRetentionDays: 7,
    nodeGroup: {
      instanceTypes: ['t3.medium'],
      minSize: 1,
      desiredSize: 2,
      maxSize: 3,
      diskSize: 20,
    },
    postgres: {
      instanceClass: 'db.t3.micro',
      allocatedStorage: 20,
      maxAllocatedStorage: 50,
      multiAz: false,
      backupRetentionDays: 1,
    },
    // db.t3.medium is DocumentDB's smallest instance class.
    documentdb: { instanceClass: 'db.t3.medium', instances: 1, backupRetentionDays: 1 },
    redis: { nodeType: 'cache.t4g.micro', nodes: 1, snapshotRetentionDays: 0 },
    deletionProtection: false,
    keepDataOnDestroy: false,
    kmsDeletionWindowDays: 7,
    secretRecoveryWindowDays: 0,
  },
  // "Multi-AZ enabled": the databases fail over; one NAT gateway keeps the bill down.
  staging: {
    natGateways: 'single',
    logRetentionDays: 30,
    nodeGroup: {
      instanceTypes: ['t3.large'],
      minSize: 2,
      desiredSize: 2,
      maxSize: 4,
      diskSize: 30,
    },
    postgres: {
      instanceClass: 'db.t3.small',
      allocatedStorage: 20,
      maxAllocatedStorage: 100,
      multiAz: true,
      backupRetentionDays: 7,
    },
    documentdb: { instanceClass: 'db.t3.medium', instances: 2, backupRetentionDays: 7 },
    redis: { nodeType: 'cache.t4g.small', nodes: 2, snapshotRetentionDays: 1 },
    deletionProtection: false,
    keepDataOnDestroy: true,
    kmsDeletionWindowDays: 30,
    secretRecoveryWindowDays: 7,
  },
  // "Full redundancy & backups": a node and a NAT gateway in every AZ, 30 days of backups.
  prod: {
    natGateways: 'per-az',
    logRetentionDays: 90,
    nodeGroup: {
      instanceTypes: ['m6i.large'],
      minSize: 3,
      desiredSize: 3,
      maxSize: 9,
      diskSize: 50,
    },
    postgres: {
      instanceClass: 'db.t3.medium',
      allocatedStorage: 50,
      maxAllocatedStorage: 200,
      multiAz: true,
      backupRetentionDays: 30,
    },
    documentdb: { instanceClass: 'db.t3.medium', instances: 3, backupRetentionDays: 30 },
    redis: { nodeType: 'cache.t4g.medium', nodes: 3, snapshotRetentionDays: 7 },
    deletionProtection: true,
    keepDataOnDestroy: true,
    kmsDeletionWindowDays: 30,
    secretRecoveryWindowDays: 30,
  },
};

/** The seed's network: VPC 10.2.0.0/16; app subnets 10.2.10.0/24…; database subnets 10.2.100.0/24…. */
export const network = {
  vpcCidr: '10.2.0.0/16',
  /** Load balancers and NAT gateways only; the seed leaves these unnumbered, so 10.2.0–2. */
  publicSubnetCidrs: ['10.2.0.0/24', '10.2.1.0/24', '10.2.2.0/24'],
  privateSubnetCidrs: ['10.2.10.0/24', '10.2.11.0/24', '10.2.12.0/24'],
  databaseSubnetCidrs: ['10.2.100.0/24', '10.2.101.0/24', '10.2.102.0/24'],
} as const;

/** Three AZs everywhere: subnets cost nothing, and prod's three-instance clusters want three. */
export const availabilityZoneCount = 3;
