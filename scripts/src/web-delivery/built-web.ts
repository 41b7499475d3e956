// A fresh production build of the web app and the real nginx serving it with the image's config
// (web/nginx/nginx.conf.template), unprivileged, on a free loopback port: what the container
// runs, minus the container.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const root = new URL('../../../', import.meta.url).pathname;
const web = join(root, 'web');

/** `vite build` of the web app into `outDir` (with its manifest). */
export function buildWeb(outDir: string): void {
  const run = spawnSync(
    process.execPath,
    [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', outDir, '--emptyOutDir'],
    { cwd: web, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (run.status !== 0) throw new Error(`vite build failed:\n${run.stdout}\n${run.stderr}`);
}

/** The Debian nginx binary (`NGINX_PATH`, else the usual places); a clear error when missing. */
export function nginxBinary(): string {
  const candidates = [process.env.NGINX_PATH, '/usr/sbin/nginx', '/usr/bin/nginx'];
  const found = candidates.find((path): path is string => Boolean(path && existsSync(path)));
  if (!found) {
    throw new Error(
      'nginx is not installed: `apt-get install -y nginx` (scripts/ums.sh installs it for `npm test`)',
    );
  }
  return found;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

export interface RunningNginx {
  url: string;
  stop: () => Promise<void>;
}

/**
 * Starts nginx in the foreground on a free loopback port serving `docRoot`. `extraConf` files are
 * written to the include directory (e.g. a proxy to a gateway for the Lighthouse bench).
 */
export async function startNginx(
  docRoot: string,
  extraConf: Record<string, string> = {},
): Promise<RunningNginx> {
  const binary = nginxBinary();
  const runDir = mkdtempSync(join(tmpdir(), 'ums-nginx-'));
  // Run as root (CI), nginx's workers drop to `nobody`: they must be able to read the build.
  chmodSync(runDir, 0o755);
  chmodSync(docRoot, 0o755);
  const includeDir = join(runDir, 'ums.d');
  mkdirSync(includeDir);
  for (const [name, text] of Object.entries(extraConf)) writeFileSync(join(includeDir, name), text);
  const port = await freePort();
  const rendered = spawnSync(
    process.execPath,
    [
      join(web, 'nginx/render-conf.ts'),
      ...['--listen', `127.0.0.1:${port}`, '--root', docRoot],
      ...['--run-dir', runDir, '--include-dir', includeDir],
    ],
    { encoding: 'utf8' },
  );
  if (rendered.status !== 0) throw new Error(`render-conf.ts failed: ${rendered.stderr}`);
  const conf = join(runDir, 'nginx.conf');
  writeFileSync(conf, rendered.stdout);

  const child: ChildProcess = spawn(
    binary,
    ['-p', runDir, '-c', conf, '-e', 'stderr', '-g', 'daemon off;'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let errors = '';
  child.stderr?.on('data', (d: Buffer) => (errors += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not start:\n${errors}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async stop() {
      // SIGQUIT: graceful stop, workers finish and the master removes its pid file.
      child.kill('SIGQUIT');
      await exited;
      rmSync(runDir, { recursive: true, force: true });
    },
  };
}
