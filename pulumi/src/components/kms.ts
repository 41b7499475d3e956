// Customer-managed KMS keys, one per kind of data, so that a key policy or a grant for one (say,
// the profile service writing avatars) never opens another (the databases). Rotation is yearly
// and automatic; a deleted key stays recoverable for the environment's deletion window.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export const keyPurposes = {
  eks: 'envelope encryption of Kubernetes Secrets in etcd',
  databases: 'RDS PostgreSQL, DocumentDB and ElastiCache storage and snapshots',
  storage: 'the avatars bucket and the ECR repositories',
  secrets: 'the Secrets Manager connection secrets',
} as const;
export type KeyPurpose = keyof typeof keyPurposes;

export interface KmsKeysArgs {
  readonly deletionWindowInDays: number;
}

export class KmsKeys extends pulumi.ComponentResource {
  readonly keys: Readonly<Record<KeyPurpose, aws.kms.Key>>;

  constructor(name: string, args: KmsKeysArgs, opts?: pulumi.ComponentResourceOptions) {
    super('ums:kms:Keys', name, {}, opts);
    const entries = Object.entries(keyPurposes).map(([purpose, description]) => {
      const key = new aws.kms.Key(
        `${name}-${purpose}`,
        {
          description: `${name}: ${description}`,
          enableKeyRotation: true,
          deletionWindowInDays: args.deletionWindowInDays,
        },
        { parent: this },
      );
      new aws.kms.Alias(
        `${name}-${purpose}`,
        { name: `alias/${name}-${purpose}`, targetKeyId: key.keyId },
        { parent: this },
      );
      return [purpose, key] as const;
    });
    this.keys = Object.fromEntries(entries) as Record<KeyPurpose, aws.kms.Key>;
    this.registerOutputs({
      keyArns: Object.fromEntries(entries.map(([purpose, key]) => [purpose, key.arn])),
    });
  }
}
