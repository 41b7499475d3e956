// EKS from its raw resources (rather than @pulumi/eks) so that every IAM role, the node group and
// the OIDC provider are plain resources the tests and the policy pack can read. The control plane
// and the nodes live in the private subnets; the API is reachable privately from the VPC and
// publicly only from the configured CIDRs; Kubernetes Secrets are envelope-encrypted with KMS.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { NodeGroupSizing } from '../sizing.ts';
import { assumeRolePolicy } from './iam.ts';

export interface EksClusterArgs {
  readonly kubernetesVersion: string;
  readonly subnetIds: pulumi.Input<string>[];
  readonly publicAccessCidrs: readonly string[];
  readonly secretsKeyArn: pulumi.Input<string>;
  readonly nodeGroup: NodeGroupSizing;
  readonly logRetentionDays: number;
  readonly deletionProtection: boolean;
}

const managedPolicy = (name: string) => `arn:aws:iam::aws:policy/${name}`;

export class EksCluster extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  /** The EKS-created security group every managed node carries; databases admit it. */
  readonly nodeSecurityGroupId: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  /** `https://oidc.eks.<region>.amazonaws.com/id/<id>`, the issuer of service account tokens. */
  readonly oidcIssuerUrl: pulumi.Output<string>;
  /** A kubeconfig that authenticates with `aws eks get-token`: it holds no credentials. */
  readonly kubeconfig: pulumi.Output<string>;

  constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('ums:eks:Cluster', name, {}, opts);
    const parent = { parent: this };

    const clusterRole = this.role(`${name}-cluster`, 'eks.amazonaws.com', [
      'AmazonEKSClusterPolicy',
    ]);
    // Created first so that EKS writes into a group with a retention rather than an unbounded one.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-control-plane`,
      { name: `/aws/eks/${name}/cluster`, retentionInDays: args.logRetentionDays },
      parent,
    );
    const cluster = new aws.eks.Cluster(
      name,
      {
        name,
        version: args.kubernetesVersion,
        roleArn: clusterRole.arn,
        vpcConfig: {
          subnetIds: args.subnetIds,
          endpointPrivateAccess: true,
          endpointPublicAccess: true,
          publicAccessCidrs: [...args.publicAccessCidrs],
        },
        // Access entries instead of the aws-auth ConfigMap; whoever runs `pulumi up` becomes
        // cluster admin, which the Argo CD bootstrap below needs.
        accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
        encryptionConfig: { resources: ['secrets'], provider: { keyArn: args.secretsKeyArn } },
        enabledClusterLogTypes: ['api', 'audit', 'authenticator'],
        deletionProtection: args.deletionProtection,
      },
      { parent: this, dependsOn: [logGroup] },
    );

    const nodeRole = this.role(`${name}-nodes`, 'ec2.amazonaws.com', [
      'AmazonEKSWorkerNodePolicy',
      'AmazonEKS_CNI_Policy',
      'AmazonEC2ContainerRegistryReadOnly',
    ]);
    const sizing = args.nodeGroup;
    new aws.eks.NodeGroup(
      `${name}-general`,
      {
        clusterName: cluster.name,
        nodeRoleArn: nodeRole.arn,
        subnetIds: args.subnetIds,
        amiType: 'AL2023_x86_64_STANDARD',
        instanceTypes: [...sizing.instanceTypes],
        diskSize: sizing.diskSize,
        scalingConfig: {
          minSize: sizing.minSize,
          desiredSize: sizing.desiredSize,
          maxSize: sizing.maxSize,
        },
        // One node at a time: the services' PodDisruptionBudgets keep serving during upgrades.
        updateConfig: { maxUnavailable: 1 },
      },
      {
        parent: this,
        // Whatever scales the group later (by hand, Cluster Autoscaler, Karpenter) owns the
        // desired size; `pulumi up` must not reset it.
        ignoreChanges: ['scalingConfig.desiredSize'],
      },
    );

    this.oidcIssuerUrl = cluster.identities.apply((ids) => {
      const issuer = ids[0]?.oidcs?.[0]?.issuer;
      if (!issuer) throw new Error(`EKS cluster ${name} reports no OIDC issuer`);
      return issuer;
    });
    // IAM trusts the issuer's certificate authority for EKS, so no thumbprint is pinned.
    const oidcProvider = new aws.iam.OpenIdConnectProvider(
      `${name}-oidc`,
      { url: this.oidcIssuerUrl, clientIdLists: ['sts.amazonaws.com'] },
      parent,
    );

    this.clusterName = cluster.name;
    this.nodeSecurityGroupId = cluster.vpcConfig.clusterSecurityGroupId;
    this.oidcProviderArn = oidcProvider.arn;
    this.kubeconfig = kubeconfigFor(cluster);
    this.registerOutputs({
      clusterName: this.clusterName,
      nodeSecurityGroupId: this.nodeSecurityGroupId,
      oidcProviderArn: this.oidcProviderArn,
      kubeconfig: this.kubeconfig,
    });
  }

  private role(name: string, service: string, policies: readonly string[]) {
    const role = new aws.iam.Role(
      name,
      { assumeRolePolicy: assumeRolePolicy({ Service: service }) },
      { parent: this },
    );
    for (const policy of policies) {
      new aws.iam.RolePolicyAttachment(
        `${name}-${policy}`,
        { role: role.name, policyArn: managedPolicy(policy) },
        { parent: this },
      );
    }
    return role;
  }
}

function kubeconfigFor(cluster: aws.eks.Cluster): pulumi.Output<string> {
  return pulumi.jsonStringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: cluster.name,
        cluster: {
          server: cluster.endpoint,
          'certificate-authority-data': cluster.certificateAuthority.data,
        },
      },
    ],
    contexts: [{ name: cluster.name, context: { cluster: cluster.name, user: cluster.name } }],
    'current-context': cluster.name,
    users: [
      {
        name: cluster.name,
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: 'aws',
            args: ['eks', 'get-token', '--cluster-name', cluster.name, '--region', cluster.region],
          },
        },
      },
    ],
  });
}
