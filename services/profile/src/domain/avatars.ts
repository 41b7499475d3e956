import { createHash, randomBytes } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { AppError, notFound } from '@ums/service-kit/errors';
import type { Logger } from '@ums/service-kit/logger';
import type { ObjectStorage } from '../data/storage/object-storage.ts';
import type { ProfilesRepository } from '../data/profiles-repository.ts';
import { containsMarkup, sniffImageType } from './image-sniff.ts';
import type { AvatarMeta } from './profile-model.ts';

export const AVATAR_SIZES = ['256', '64'] as const;
export type AvatarSize = (typeof AVATAR_SIZES)[number];
export const AVATAR_CONTENT_TYPE = 'image/webp';

const unsupported = () =>
  new AppError({
    code: 'avatar.unsupported_type',
    status: 415,
    detail: 'The avatar must be a PNG, JPEG, WebP or GIF image.',
  });
const invalid = (detail: string) =>
  new AppError({ code: 'avatar.invalid_image', status: 422, detail });

const etagOf = (body: Buffer) =>
  `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;

export interface StoredAvatar {
  body: Buffer;
  etag: string;
  updatedAt: Date;
}

/**
 * Avatar uploads: the type comes from the bytes, markup anywhere refuses the file (polyglots),
 * dimensions are read from the header and checked before anything is decoded (pixel floods), and
 * the image is re-encoded from pixels to WebP at 256 and 64 px, which drops metadata (EXIF, GPS)
 * and whatever else the file carried. Names are random and chosen here.
 */
export function createAvatarService(deps: {
  profiles: ProfilesRepository;
  storage: ObjectStorage;
  maxPixels: number;
  logger: Logger;
}) {
  const { profiles, storage, logger } = deps;

  async function inspect(data: Buffer) {
    const type = sniffImageType(data);
    if (!type || containsMarkup(data)) throw unsupported();
    let meta: Metadata;
    try {
      meta = await sharp(data, { limitInputPixels: false }).metadata();
    } catch {
      throw invalid('The image cannot be read.');
    }
    if (meta.format !== type) throw unsupported();
    if (!meta.width || !meta.height) throw invalid('The image has no dimensions.');
    if (meta.width * meta.height > deps.maxPixels) {
      throw invalid(`The image has more than ${deps.maxPixels} pixels.`);
    }
    return type;
  }

  async function encode(data: Buffer): Promise<Record<AvatarSize, Buffer>> {
    try {
      // limitInputPixels again at decode time: the header check above is the first line only.
      const base = sharp(data, { limitInputPixels: deps.maxPixels, failOn: 'error' }).rotate();
      const [large, small] = await Promise.all(
        AVATAR_SIZES.map((size) =>
          base
            .clone()
            .resize(Number(size), Number(size), { fit: 'cover' })
            .webp({ quality: 82 })
            .toBuffer(),
        ),
      );
      return { '256': large as Buffer, '64': small as Buffer };
    } catch {
      throw invalid('The image cannot be decoded.');
    }
  }

  async function removeObjects(avatar: AvatarMeta): Promise<void> {
    for (const size of AVATAR_SIZES) {
      await storage.delete(avatar.keys[size]).catch((error: unknown) => {
        logger.warn({ err: error }, 'avatar object could not be deleted; left orphaned');
      });
    }
  }

  return {
    removeObjects,

    async upload(userId: string, data: Buffer): Promise<AvatarMeta> {
      const sourceType = await inspect(data);
      const images = await encode(data);
      const version = randomBytes(12).toString('base64url');
      const key = (size: AvatarSize) => `${userId}/${version}-${size}.webp`;
      const avatar: AvatarMeta = {
        version,
        keys: { '256': key('256'), '64': key('64') },
        etags: { '256': etagOf(images['256']), '64': etagOf(images['64']) },
        bytes: { '256': images['256'].length, '64': images['64'].length },
        sourceType: `image/${sourceType}`,
        updatedAt: new Date(),
      };
      for (const size of AVATAR_SIZES) {
        await storage.put(avatar.keys[size], images[size], AVATAR_CONTENT_TYPE);
      }
      const result = await profiles.setAvatar(userId, avatar);
      if (!result) {
        await removeObjects(avatar);
        throw notFound('profile.not_found', 'This profile no longer exists.');
      }
      if (result.previous) await removeObjects(result.previous);
      return avatar;
    },

    /** true when there was an avatar to remove. */
    async remove(userId: string): Promise<boolean> {
      const result = await profiles.setAvatar(userId, null);
      if (!result?.previous) return false;
      await removeObjects(result.previous);
      return true;
    },

    async read(userId: string, size: AvatarSize): Promise<StoredAvatar | undefined> {
      const profile = await profiles.findById(userId);
      if (!profile?.avatar) return undefined;
      const body = await storage.get(profile.avatar.keys[size]);
      if (!body) return undefined;
      return { body, etag: profile.avatar.etags[size], updatedAt: profile.avatar.updatedAt };
    },
  };
}

export type AvatarService = ReturnType<typeof createAvatarService>;
