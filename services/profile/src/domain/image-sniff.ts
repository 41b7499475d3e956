// Recognises images by their leading bytes, never by file name or declared Content-Type.

export const IMAGE_TYPES = ['png', 'jpeg', 'webp', 'gif'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

const startsWith = (buf: Buffer, bytes: readonly number[], offset = 0) =>
  buf.length >= offset + bytes.length && bytes.every((b, i) => buf[offset + i] === b);

export function sniffImageType(buf: Buffer): ImageType | undefined {
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (
    startsWith(buf, [0x47, 0x49, 0x46, 0x38]) &&
    (buf[4] === 0x37 || buf[4] === 0x39) &&
    buf[5] === 0x61
  ) {
    return 'gif';
  }
  if (startsWith(buf, [0x52, 0x49, 0x46, 0x46]) && startsWith(buf, [0x57, 0x45, 0x42, 0x50], 8)) {
    return 'webp';
  }
  return undefined;
}

// Markup a browser or interpreter would act on. Every pattern needs 5+ specific bytes, so random
// compressed image data matches with negligible probability: a hit means a polyglot. (`<?xml`
// alone is left out: XMP metadata in ordinary photos may carry it, and it executes nothing.)
const MARKUP =
  /<(?:script|html|body|iframe|svg|object|embed|meta|style|form|img)[\s/>]|<\?php|<!doctype|javascript:/i;

/** True when the bytes contain HTML, SVG, XML or script markup anywhere. */
export function containsMarkup(buf: Buffer): boolean {
  return MARKUP.test(buf.toString('latin1'));
}
