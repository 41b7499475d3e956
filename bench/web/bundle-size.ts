// Sign-in bundle budget, run on demand: `npm run bench:web` (or `node bench/web/bundle-size.ts`).
// Builds the web app with Vite, sums the gzip size of what /login loads before any interaction
// (the entry chunk and its static imports, from Vite's manifest) and compares it with a bare
// React app (`createRoot(...).render(<h1/>)`) built by the same Vite, React and plugin on this
// machine in the same run. Results go to bench/results/web-bundle-<time>.json.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  initialLoad,
  readManifest,
  sizeOf,
  staticGraph,
  type InitialLoad,
} from '../../scripts/src/web-delivery/initial-js.ts';
import { buildBareReact, viteBuild } from './bare-react.ts';

const root = new URL('../../', import.meta.url).pathname;
// Next to the other benches' results, which git ignores (`**/bench/results/`).
const resultsDir = new URL('../results/', import.meta.url).pathname;
const web = join(root, 'web');
const goal = { initialJsGzipKb: 105, ratioToBare: 1.5 };
const say = (m: string) => process.stdout.write(`bench: ${m}\n`);
const kb = (bytes: number) => +(bytes / 1000).toFixed(1);

/** The installed version, looked up as Node would from `from` (packages may not export package.json). */
function version(pkg: string, from = root): string {
  for (let dir = from; dir.startsWith(root); dir = join(dir, '..')) {
    const file = join(dir, 'node_modules', pkg, 'package.json');
    if (existsSync(file))
      return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  throw new Error(`${pkg} is not installed`);
}

function lazyChunks(outDir: string): { count: number; gzip: number } {
  const manifest = readManifest(outDir);
  const initial = new Set(staticGraph(manifest));
  const lazy = Object.entries(manifest).filter(
    ([key, c]) => !initial.has(key) && c.file.endsWith('.js'),
  );
  return {
    count: lazy.length,
    gzip: lazy.reduce((sum, [, c]) => sum + sizeOf(outDir, c.file).gzip, 0),
  };
}

function describe(load: InitialLoad) {
  return {
    jsGzipKb: kb(load.jsGzip),
    jsKb: kb(load.js.reduce((s, f) => s + f.bytes, 0)),
    cssGzipKb: kb(load.cssGzip),
    files: load.js.map((f) => ({ file: f.file, kb: kb(f.bytes), gzipKb: kb(f.gzip) })),
  };
}

async function main(): Promise<void> {
  const appOut = mkdtempSync(join(tmpdir(), 'ums-web-dist-'));
  const bare = buildBareReact();
  try {
    say('building the web app');
    viteBuild(web, appOut);
    const app = initialLoad(appOut);
    const themeInit = sizeOf(appOut, 'theme-init.js');
    const lazy = lazyChunks(appOut);
    const bareLoad = initialLoad(bare.outDir);
    const ratio = app.jsGzip / bareLoad.jsGzip;

    const results = {
      when: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version },
      versions: {
        vite: version('vite'),
        react: version('react'),
        reactDom: version('react-dom'),
        pluginReact: version('@vitejs/plugin-react', web),
      },
      compression: 'gzip -9 (zlib level 9)',
      signIn: {
        ...describe(app),
        // A classic script in <head>, outside the module graph; counted apart.
        themeInitGzipKb: kb(themeInit.gzip),
        lazyChunks: { count: lazy.count, gzipKb: kb(lazy.gzip) },
      },
      bare: describe(bareLoad),
      ratioToBare: +ratio.toFixed(2),
      goal,
      pass: app.jsGzip / 1000 <= goal.initialJsGzipKb && ratio <= goal.ratioToBare,
    };
    for (const f of results.signIn.files)
      say(`  ${f.file.padEnd(44)} ${String(f.gzipKb).padStart(6)} kB gzip`);
    say(
      `sign-in initial JS ${results.signIn.jsGzipKb} kB gzip (goal ≤ ${goal.initialJsGzipKb}), bare React ${results.bare.jsGzipKb} kB, ratio ${results.ratioToBare} (goal ≤ ${goal.ratioToBare})`,
    );
    mkdirSync(resultsDir, { recursive: true });
    const file = join(resultsDir, `web-bundle-${results.when.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    say(`written ${file}`);
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } finally {
    rmSync(appOut, { recursive: true, force: true });
    rmSync(bare.dir, { recursive: true, force: true });
  }
}

await main();
