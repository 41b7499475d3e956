// One Secrets Manager secret per Kubernetes Secret the instance spec references, holding exactly
// that Secret's keys (username/password, or password for Redis), so that it maps one to one
// (`kubectl create secret ... --from-literal`, or External Secrets' `dataFrom.extract`).
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface ConnectionSecretArgs {
  /** The Secrets Manager name, `ums-<env>/<kubernetes secret name>`. */
  readonly secretName: string;
  /** The Kubernetes Secret this one becomes. */
  readonly kubernetesName: string;
  readonly description: string;
  readonly values: Record<string, pulumi.Input<string>>;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly recoveryWindowInDays: number;
}

export class ConnectionSecret extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;
  readonly secretName: string;
  readonly kubernetesName: string;

  constructor(name: string, args: ConnectionSecretArgs, opts?: pulumi.ComponentResourceOptions) {
    super('ums:secretsmanager:ConnectionSecret', name, {}, opts);
    const secret = new aws.secretsmanager.Secret(
      name,
      {
        name: args.secretName,
        description: args.description,
        kmsKeyId: args.kmsKeyArn,
        recoveryWindowInDays: args.recoveryWindowInDays,
      },
      { parent: this },
    );
    new aws.secretsmanager.SecretVersion(
      name,
      // The values come from secret config, so the JSON stays a secret in the state too.
      { secretId: secret.id, secretString: pulumi.secret(pulumi.jsonStringify(args.values)) },
      { parent: this },
    );
    this.arn = secret.arn;
    this.secretName = args.secretName;
    this.kubernetesName = args.kubernetesName;
    this.registerOutputs({ arn: this.arn, secretName: this.secretName });
  }
}
