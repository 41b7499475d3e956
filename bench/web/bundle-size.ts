// Sign-in bundle budget, run on demand: `npm run bench:web` (or `node bench/web/bundle-size.ts`).
// Builds the web app with Vite, sums the gzip size of what /login loads before any interaction
// (the entry chunk and its static imports, from Vite's manifest) and compares it with a bare
// React app (`createRoot(...).render(<h1/>)`) built by the same Vite, React and plugin on this
// machine in the same run. Results go to bench/web/results/bundle-<time>.json.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  initialLoad,
  readManifest,
  sizeOf,
  staticGraph,
  type InitialLoad,
} from '../../scripts/src/web-delivery/initial-js.ts';

const root = new URL('../../', import.meta.url).pathname;
const here = new URL('.', import.meta.url).pathname;
const web = join(root, 'web');
const viteBin = join(root, 'node_modules/vite/bin/vite.js');
const goal = { initialJsGzipKb: 105, ratioToBare: 1.5 };
const say = (m: string) => process.stdout.write(`bench: ${m}\n`);
const kb = (bytes: number) => +(bytes / 1000).toFixed(1);

function viteBuild(cwd: string, outDir: string): void {
  const run = spawnSync(
    process.execPath,
    [viteBin, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  if (run.status !== 0) throw new Error(`vite build in ${cwd} failed (exit ${run.status})`);
}

/** The installed version, looked up as Node would from `from` (packages may not export package.json). */
function version(pkg: string, from = root): string {
  for (let dir = from; dir.startsWith(root); dir = join(dir, '..')) {
    const file = join(dir, 'node_modules', pkg, 'package.json');
    if (existsSync(file))
      return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  throw new Error(`${pkg} is not installed`);
}

/** The smallest React app Vite can build: the floor every React page pays. */
function buildBare(): { dir: string; outDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ums-bare-react-'));
  // The repository's own packages, so the versions are exactly the app's.
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  const pluginReact = createRequire(join(web, 'package.json')).resolve('@vitejs/plugin-react');
  mkdirSync(join(dir, 'src'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html>\n<html lang="en"><head><title>bare</title></head>\n<body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body></html>\n',
  );
  writeFileSync(
    join(dir, 'src/main.tsx'),
    "import { createRoot } from 'react-dom/client';\n\ncreateRoot(document.getElementById('root')!).render(<h1>Hello</h1>);\n",
  );
  writeFileSync(
    join(dir, 'vite.config.mjs'),
    `import react from ${JSON.stringify(pluginReact)};\nexport default { plugins: [react()], build: { target: 'es2022', manifest: true } };\n`,
  );
  const outDir = join(dir, 'dist');
  viteBuild(dir, outDir);
  return { dir, outDir };
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
  const bare = buildBare();
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
    mkdirSync(join(here, 'results'), { recursive: true });
    const file = join(here, `results/bundle-${results.when.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    say(`written ${file}`);
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } finally {
    rmSync(appOut, { recursive: true, force: true });
    rmSync(bare.dir, { recursive: true, force: true });
  }
}

await main();
