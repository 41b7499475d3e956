import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { assertSafeKey, type ObjectStorage } from './object-storage.ts';

export interface S3StorageOptions {
  bucket: string;
  region: string;
  /** S3-compatible endpoints only; AWS needs none. */
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Key prefix inside the bucket, e.g. `avatars/`. */
  prefix?: string;
  /** Tests pass static credentials; in the cloud the default chain (IRSA) provides them. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** The PutObject request for an avatar: private, typed, server-side encrypted. */
export function putObjectInput(
  options: Pick<S3StorageOptions, 'bucket' | 'prefix'>,
  key: string,
  body: Buffer,
  contentType: string,
): PutObjectCommandInput {
  assertSafeKey(key);
  return {
    Bucket: options.bucket,
    Key: `${options.prefix ?? ''}${key}`,
    Body: body,
    ContentType: contentType,
    ContentLength: body.length,
    ServerSideEncryption: 'AES256',
  };
}

export function createS3Storage(options: S3StorageOptions, client?: S3Client): ObjectStorage {
  const s3 =
    client ??
    new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle ?? false,
      credentials: options.credentials,
      maxAttempts: 3,
    });
  const objectKey = (key: string) => {
    assertSafeKey(key);
    return `${options.prefix ?? ''}${key}`;
  };
  return {
    driver: 's3',
    async put(key, body, contentType) {
      await s3.send(new PutObjectCommand(putObjectInput(options, key, body, contentType)));
    },
    async get(key) {
      try {
        const result = await s3.send(
          new GetObjectCommand({ Bucket: options.bucket, Key: objectKey(key) }),
        );
        if (!result.Body) return undefined;
        return Buffer.from(await result.Body.transformToByteArray());
      } catch (error) {
        if (error instanceof NoSuchKey) return undefined;
        if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) {
          return undefined;
        }
        throw error;
      }
    },
    async delete(key) {
      await s3.send(new DeleteObjectCommand({ Bucket: options.bucket, Key: objectKey(key) }));
    },
  };
}
