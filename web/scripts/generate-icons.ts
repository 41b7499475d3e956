// Renders the PWA icons in public/icons from the two SVG sources next to them. Run after editing
// an SVG (`node web/scripts/generate-icons.ts`) and commit the PNGs; builds do not run it.
// "any" icons keep their rounded corners; maskable ones are full-bleed with the glyph inside the
// safe zone (the centre 80 % circle), since the platform cuts its own shape.
import { join } from 'node:path';
import sharp from 'sharp';

const icons = join(new URL('..', import.meta.url).pathname, 'public/icons');
const outputs: [source: string, file: string, size: number][] = [
  ['icon.svg', 'icon-192.png', 192],
  ['icon.svg', 'icon-512.png', 512],
  ['icon-maskable.svg', 'icon-maskable-192.png', 192],
  ['icon-maskable.svg', 'icon-maskable-512.png', 512],
  // iOS rounds the corners itself and ignores transparency.
  ['icon-maskable.svg', 'apple-touch-icon.png', 180],
];

for (const [source, file, size] of outputs) {
  await sharp(join(icons, source), { density: 300 })
    .resize(size, size)
    .png({ compressionLevel: 9 })
    .toFile(join(icons, file));
  process.stdout.write(`icons: ${file} (${size}×${size})\n`);
}
