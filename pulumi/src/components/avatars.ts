// The avatars bucket for the profile service: private (all four public-access blocks, ACLs
// disabled), KMS-encrypted with a bucket key (one KMS call per object batch rather than per
// object), versioned so that an overwritten or deleted avatar can be restored for a while, and
// reachable over TLS only.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { policyDocument } from './iam.ts';

export interface AvatarBucketArgs {
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Days an overwritten or deleted avatar version is kept. */
  readonly noncurrentVersionDays: number;
  /** Empty the bucket on `pulumi destroy` (dev only: avatars there are disposable). */
  readonly forceDestroy: boolean;
}

export class AvatarBucket extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;

  constructor(name: string, args: AvatarBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super('ums:s3:AvatarBucket', name, {}, opts);
    const parent = { parent: this };
    // No fixed name: bucket names are global, so Pulumi appends a random suffix.
    const bucket = new aws.s3.Bucket(name, { forceDestroy: args.forceDestroy }, parent);
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      name,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      parent,
    );
    new aws.s3.BucketOwnershipControls(
      name,
      { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } },
      parent,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      name,
      {
        bucket: bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: {
              sseAlgorithm: 'aws:kms',
              kmsMasterKeyId: args.kmsKeyArn,
            },
            bucketKeyEnabled: true,
          },
        ],
      },
      parent,
    );
    const versioning = new aws.s3.BucketVersioning(
      name,
      { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } },
      parent,
    );
    new aws.s3.BucketLifecycleConfiguration(
      name,
      {
        bucket: bucket.id,
        rules: [
          {
            id: 'expire-old-versions',
            status: 'Enabled',
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
          },
        ],
      },
      { parent: this, dependsOn: [versioning] },
    );
    new aws.s3.BucketPolicy(
      name,
      {
        bucket: bucket.id,
        policy: policyDocument([
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ]),
      },
      // S3 refuses a policy write while the public access block is still being applied.
      { parent: this, dependsOn: [publicAccess] },
    );
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}
