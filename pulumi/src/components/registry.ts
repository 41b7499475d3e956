// ECR repositories for the platform's images, under one prefix so that the instance spec's
// `imageRegistry` is that prefix. Tags are immutable (a release tag always means the same image,
// which is what Argo CD's pinned revisions rely on), every push is scanned, images are encrypted
// with the storage key, and untagged layers left by rebuilds expire.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface RegistryArgs {
  /** Repositories are `<prefix>/<image>`. */
  readonly prefix: string;
  readonly images: readonly string[];
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Delete repositories that still hold images on `pulumi destroy` (dev only). */
  readonly forceDelete: boolean;
}

const expireUntagged = JSON.stringify({
  rules: [
    {
      rulePriority: 1,
      description: 'Untagged images are build leftovers',
      selection: {
        tagStatus: 'untagged',
        countType: 'sinceImagePushed',
        countUnit: 'days',
        countNumber: 14,
      },
      action: { type: 'expire' },
    },
  ],
});

export class Registry extends pulumi.ComponentResource {
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>`: the instance spec's `imageRegistry`. */
  readonly imageRegistry: pulumi.Output<string>;
  readonly repositoryUrls: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super('ums:ecr:Registry', name, {}, opts);
    const repositories = args.images.map((image) => {
      const repository = new aws.ecr.Repository(
        `${name}-${image}`,
        {
          name: `${args.prefix}/${image}`,
          imageTagMutability: 'IMMUTABLE',
          imageScanningConfiguration: { scanOnPush: true },
          encryptionConfigurations: [{ encryptionType: 'KMS', kmsKey: args.kmsKeyArn }],
          forceDelete: args.forceDelete,
        },
        { parent: this },
      );
      new aws.ecr.LifecyclePolicy(
        `${name}-${image}`,
        { repository: repository.name, policy: expireUntagged },
        { parent: this },
      );
      return [image, repository.repositoryUrl] as const;
    });
    this.repositoryUrls = Object.fromEntries(repositories);
    const [first] = repositories;
    if (!first) throw new Error(`${name}: no images`);
    // Every repository shares the registry host and prefix; strip the image name off any one.
    this.imageRegistry = first[1].apply((url) => url.slice(0, url.lastIndexOf('/')));
    this.registerOutputs({
      imageRegistry: this.imageRegistry,
      repositoryUrls: this.repositoryUrls,
    });
  }
}
