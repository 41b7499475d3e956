// The VPC, one subnet of each tier per AZ. Public subnets hold only load balancers and NAT
// gateways; private subnets hold the EKS nodes and reach out through NAT; database subnets have no
// route out at all, because nothing in them should ever talk to the internet. NAT is one gateway
// (dev, staging: about $33 a month each) or one per AZ (prod: an AZ outage must not cut the
// others' egress). Flow logs record all traffic, for incident response.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { cidrContains, cidrsOverlap, parseCidr } from '../cidr.ts';
import { assumeRolePolicy, policyDocument } from './iam.ts';

export interface NetworkArgs {
  readonly vpcCidr: string;
  readonly availabilityZones: readonly string[];
  /** One CIDR per AZ, in the order of `availabilityZones`. */
  readonly publicSubnetCidrs: readonly string[];
  readonly privateSubnetCidrs: readonly string[];
  readonly databaseSubnetCidrs: readonly string[];
  readonly natGateways: 'single' | 'per-az';
  readonly flowLogRetentionDays: number;
}

/** Throws when the layout cannot work: a CIDR that is malformed, outside the VPC or overlapping. */
export function checkLayout(args: NetworkArgs): void {
  const tiers = [args.publicSubnetCidrs, args.privateSubnetCidrs, args.databaseSubnetCidrs];
  if (!parseCidr(args.vpcCidr)) throw new Error(`VPC CIDR ${args.vpcCidr} is not a network`);
  if (tiers.some((t) => t.length !== args.availabilityZones.length)) {
    throw new Error('each subnet tier needs exactly one CIDR per availability zone');
  }
  const subnets = tiers.flat();
  for (const [i, cidr] of subnets.entries()) {
    if (!cidrContains(args.vpcCidr, cidr)) throw new Error(`${cidr} is not inside ${args.vpcCidr}`);
    const clash = subnets.slice(i + 1).find((other) => cidrsOverlap(cidr, other));
    if (clash) throw new Error(`subnets ${cidr} and ${clash} overlap`);
  }
}

export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly databaseSubnetIds: pulumi.Output<string>[];

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('ums:network:Network', name, {}, opts);
    checkLayout(args);
    const parent = { parent: this };
    const zones = args.availabilityZones;

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.vpcCidr,
        // EKS, RDS and DocumentDB endpoints are DNS names that must resolve inside the VPC.
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: { Name: name },
      },
      parent,
    );
    const subnets = (tier: string, cidrs: readonly string[], tags: Record<string, string>) =>
      zones.map(
        (az, i) =>
          new aws.ec2.Subnet(
            `${name}-${tier}-${az}`,
            {
              vpcId: vpc.id,
              availabilityZone: az,
              cidrBlock: cidrs[i],
              mapPublicIpOnLaunch: false,
              tags: { Name: `${name}-${tier}-${az}`, 'ums/tier': tier, ...tags },
            },
            parent,
          ),
      );
    // The role tags tell the AWS Load Balancer Controller where internet-facing and internal
    // load balancers go.
    const publicSubnets = subnets('public', args.publicSubnetCidrs, {
      'kubernetes.io/role/elb': '1',
    });
    const privateSubnets = subnets('private', args.privateSubnetCidrs, {
      'kubernetes.io/role/internal-elb': '1',
    });
    const databaseSubnets = subnets('database', args.databaseSubnetCidrs, {});

    const igw = new aws.ec2.InternetGateway(
      `${name}-igw`,
      { vpcId: vpc.id, tags: { Name: name } },
      parent,
    );
    const publicRoutes = this.routeTable(`${name}-public`, vpc, publicSubnets);
    new aws.ec2.Route(
      `${name}-public-internet`,
      { routeTableId: publicRoutes.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id },
      parent,
    );

    // Each private subnet's egress: the NAT gateway of its own AZ, or the one shared gateway.
    let shared: aws.ec2.NatGateway | undefined;
    zones.forEach((az, i) => {
      const nat =
        args.natGateways === 'per-az'
          ? this.natGateway(`${name}-nat-${az}`, publicSubnets[i], igw)
          : (shared ??= this.natGateway(`${name}-nat-${az}`, publicSubnets[i], igw));
      const table = this.routeTable(`${name}-private-${az}`, vpc, privateSubnets.slice(i, i + 1));
      new aws.ec2.Route(
        `${name}-private-${az}-egress`,
        { routeTableId: table.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat.id },
        parent,
      );
    });
    // Only the VPC's local route: the databases neither need nor get a path to the internet.
    this.routeTable(`${name}-database`, vpc, databaseSubnets);

    this.flowLogs(name, vpc, args.flowLogRetentionDays);

    this.vpcId = vpc.id;
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.databaseSubnetIds = databaseSubnets.map((s) => s.id);
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      databaseSubnetIds: this.databaseSubnetIds,
    });
  }

  private natGateway(
    name: string,
    subnet: aws.ec2.Subnet | undefined,
    igw: aws.ec2.InternetGateway,
  ) {
    if (!subnet) throw new Error(`${name}: no public subnet for the NAT gateway`);
    const eip = new aws.ec2.Eip(name, { domain: 'vpc', tags: { Name: name } }, { parent: this });
    return new aws.ec2.NatGateway(
      name,
      { allocationId: eip.allocationId, subnetId: subnet.id, tags: { Name: name } },
      // A NAT gateway in a VPC without an attached internet gateway fails to create.
      { parent: this, dependsOn: [igw] },
    );
  }

  private routeTable(name: string, vpc: aws.ec2.Vpc, subnets: aws.ec2.Subnet[]) {
    const table = new aws.ec2.RouteTable(
      name,
      { vpcId: vpc.id, tags: { Name: name } },
      { parent: this },
    );
    subnets.forEach(
      (subnet, i) =>
        new aws.ec2.RouteTableAssociation(
          `${name}-${i}`,
          { routeTableId: table.id, subnetId: subnet.id },
          { parent: this },
        ),
    );
    return table;
  }

  private flowLogs(name: string, vpc: aws.ec2.Vpc, retentionInDays: number) {
    const parent = { parent: this };
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-flow-logs`,
      { name: `/ums/${name}/vpc-flow-logs`, retentionInDays },
      parent,
    );
    const role = new aws.iam.Role(
      `${name}-flow-logs`,
      { assumeRolePolicy: assumeRolePolicy({ Service: 'vpc-flow-logs.amazonaws.com' }) },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-flow-logs`,
      {
        role: role.id,
        policy: policyDocument([
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            Resource: pulumi.interpolate`${logGroup.arn}:*`,
          },
        ]),
      },
      parent,
    );
    new aws.ec2.FlowLog(
      `${name}-flow-logs`,
      {
        vpcId: vpc.id,
        trafficType: 'ALL',
        logDestinationType: 'cloud-watch-logs',
        logDestination: logGroup.arn,
        iamRoleArn: role.arn,
        // One-minute records: ten-minute aggregation hides short bursts during an incident.
        maxAggregationInterval: 60,
      },
      parent,
    );
  }
}
