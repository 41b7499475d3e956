// The security group in front of each data store: one port, admitted only from the EKS nodes'
// security group, never from an address range. No egress rules: AWS's default allow-all egress
// rule is removed, as the stores never open connections themselves.
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';

export interface DatabaseAccessArgs {
  readonly vpcId: pulumi.Input<string>;
  readonly port: number;
  readonly clientSecurityGroupId: pulumi.Input<string>;
  readonly description: string;
}

export function databaseSecurityGroup(
  name: string,
  args: DatabaseAccessArgs,
  parent: pulumi.Resource,
): aws.ec2.SecurityGroup {
  const group = new aws.ec2.SecurityGroup(
    name,
    { vpcId: args.vpcId, description: args.description },
    { parent },
  );
  new aws.vpc.SecurityGroupIngressRule(
    `${name}-from-nodes`,
    {
      securityGroupId: group.id,
      referencedSecurityGroupId: args.clientSecurityGroupId,
      ipProtocol: 'tcp',
      fromPort: args.port,
      toPort: args.port,
      description: 'EKS nodes',
    },
    { parent },
  );
  return group;
}
