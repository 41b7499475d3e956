/**
 * Where avatar images live: one interface, a local-folder driver (development, single node) and
 * an S3 driver (the cloud). Keys are always server-chosen (`<userId>/<random>-<size>.webp`).
 */
export interface ObjectStorage {
  readonly driver: 'local' | 's3';
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** undefined when there is no such object. */
  get(key: string): Promise<Buffer | undefined>;
  /** Deleting a missing object is not an error. */
  delete(key: string): Promise<void>;
}

const SAFE_KEY = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}(\/[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}){0,3}$/;

/** Refuses anything but plain relative keys: no `..`, no absolute paths, no odd characters. */
export function assertSafeKey(key: string): void {
  if (!SAFE_KEY.test(key) || key.split('/').some((part) => part === '..' || part === '.')) {
    throw new Error('invalid storage key');
  }
}
