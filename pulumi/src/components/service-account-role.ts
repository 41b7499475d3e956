// IAM roles for service accounts (IRSA): a pod running as one Kubernetes ServiceAccount gets
// temporary credentials for one role. The trust policy pins both the audience and the exact
// `system:serviceaccount:<namespace>:<name>` subject; without the subject condition any pod of the
// cluster could assume the role.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { policyDocument } from './iam.ts';
import type { Statement } from './iam.ts';

export interface ServiceAccountRoleArgs {
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcIssuerUrl: pulumi.Input<string>;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** What the workload may do; least privilege, resource by resource. */
  readonly statements: readonly Statement[];
}

export function irsaTrustPolicy(
  providerArn: pulumi.Input<string>,
  issuerUrl: pulumi.Input<string>,
  namespace: string,
  serviceAccount: string,
): pulumi.Output<string> {
  return pulumi.all([providerArn, issuerUrl]).apply(([arn, url]) => {
    const issuer = url.replace(/^https:\/\//, '');
    return JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: arn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${issuer}:aud`]: 'sts.amazonaws.com',
              [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
            },
          },
        },
      ],
    });
  });
}

export class ServiceAccountRole extends pulumi.ComponentResource {
  readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: ServiceAccountRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super('ums:eks:ServiceAccountRole', name, {}, opts);
    const role = new aws.iam.Role(
      name,
      {
        description: `IRSA: ${args.namespace}/${args.serviceAccount}`,
        assumeRolePolicy: irsaTrustPolicy(
          args.oidcProviderArn,
          args.oidcIssuerUrl,
          args.namespace,
          args.serviceAccount,
        ),
      },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      name,
      { role: role.id, policy: policyDocument(args.statements) },
      { parent: this },
    );
    this.roleArn = role.arn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
