// The web app's Vite dev server (what `npm start` runs for `web`) on a free loopback port, with
// its `/api` proxy pointed at a gateway port of the test's choosing.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort, root } from '../web-delivery/built-web.ts';

export interface RunningDevServer {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

export async function startDevServer(
  gatewayPort: number,
  timeoutMs = 60_000,
): Promise<RunningDevServer> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      join(root, 'node_modules/vite/bin/vite.js'),
      '--port',
      String(port),
      '--strictPort',
      '--host',
      '127.0.0.1',
    ],
    {
      cwd: join(root, 'web'),
      env: { ...process.env, GATEWAY_PORT: String(gatewayPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const up = await fetch(`${url}/`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the dev server did not start:\n${out.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    output: () => out,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
