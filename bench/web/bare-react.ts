// The smallest React app Vite can build, `createRoot(...).render(<h1/>)`: the floor every React
// page pays, built with the repository's own Vite, React and plugin so the versions match.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const viteBin = join(root, 'node_modules/vite/bin/vite.js');

export function viteBuild(cwd: string, outDir: string): void {
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

/** Builds the bare app in a temporary directory; `outDir` is its dist/ (with the manifest). */
export function buildBareReact(): { dir: string; outDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ums-bare-react-'));
  // Traversable by nginx's workers (they run as `nobody` when the master is root).
  chmodSync(dir, 0o755);
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  const pluginReact = createRequire(join(root, 'web/package.json')).resolve('@vitejs/plugin-react');
  mkdirSync(join(dir, 'src'));
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0" />
    <title>Bare React</title>
  </head>
  <body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body>
</html>
`,
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
