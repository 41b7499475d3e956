// What the browser loads for a page before any interaction, read from Vite's build manifest:
// the entry chunk and, transitively, its static imports. Dynamic imports (lazy routes, other
// locales) are excluded because nothing fetches them until the user goes there.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface ManifestChunk {
  file: string;
  src?: string;
  name?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
export type Manifest = Record<string, ManifestChunk>;

export interface SizedFile {
  file: string;
  bytes: number;
  gzip: number;
}

export function readManifest(outDir: string): Manifest {
  return JSON.parse(readFileSync(join(outDir, '.vite/manifest.json'), 'utf8')) as Manifest;
}

/** Manifest keys of the entry and everything it imports statically, entry first. */
export function staticGraph(manifest: Manifest, entryKey = 'index.html'): string[] {
  if (!manifest[entryKey]?.isEntry) throw new Error(`${entryKey} is not an entry of the manifest`);
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const next of manifest[key]?.imports ?? []) visit(next);
  };
  visit(entryKey);
  return [...seen];
}

/** gzip -9, which is what a server that precompresses (or nginx's gzip_static) sends. */
export function sizeOf(outDir: string, file: string): SizedFile {
  const content = readFileSync(join(outDir, file));
  return { file, bytes: content.length, gzip: gzipSync(content, { level: 9 }).length };
}

export interface InitialLoad {
  js: SizedFile[];
  css: SizedFile[];
  jsGzip: number;
  cssGzip: number;
}

export function initialLoad(outDir: string, entryKey = 'index.html'): InitialLoad {
  const manifest = readManifest(outDir);
  const keys = staticGraph(manifest, entryKey);
  const chunks = keys.map((k) => manifest[k] as ManifestChunk);
  const js = chunks.map((c) => sizeOf(outDir, c.file)).sort((a, b) => b.gzip - a.gzip);
  const css = [...new Set(chunks.flatMap((c) => c.css ?? []))].map((f) => sizeOf(outDir, f));
  const sum = (files: SizedFile[]) => files.reduce((total, f) => total + f.gzip, 0);
  return { js, css, jsGzip: sum(js), cssGzip: sum(css) };
}
