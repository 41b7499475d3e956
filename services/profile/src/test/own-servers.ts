// Database servers a fault test owns (and may stop): never the shared local ones.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient } from 'mongodb';

/** The FerretDB binary the project's scripts build and cache (or FERRETDB_BIN). */
export function ferretDbBinary(): string {
  if (process.env.FERRETDB_BIN) return process.env.FERRETDB_BIN;
  const cache = join(homedir(), '.cache/ums/bin');
  const dir = existsSync(cache)
    ? readdirSync(cache).find((d) => d.startsWith('ferretdb-'))
    : undefined;
  const bin = dir ? join(cache, dir, 'ferretdb') : undefined;
  if (!bin || !existsSync(bin)) {
    throw new Error(
      'FerretDB binary not found: run `npm run infra:up` once (it builds and caches it)',
    );
  }
  return bin;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

export interface OwnFerretDb {
  uri: string;
  /** Starts (again) on the same port and data directory. */
  start(): Promise<void>;
  /** Stops the server process and waits for it to exit. */
  stop(): Promise<void>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
}

async function waitUntilAnswering(uri: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500 });
    try {
      await client.db('admin').command({ ping: 1 });
      return;
    } catch {
      await sleep(100);
    } finally {
      await client.close().catch(() => undefined);
    }
  }
  throw new Error(`FerretDB at ${uri} did not answer within ${timeoutMs} ms`);
}

export async function startOwnFerretDb(): Promise<OwnFerretDb> {
  const bin = ferretDbBinary();
  const dir = mkdtempSync(join(tmpdir(), 'profile-ferretdb-'));
  const port = await freePort();
  const uri = `mongodb://127.0.0.1:${port}/`;
  let child: ChildProcess | undefined;

  const own: OwnFerretDb = {
    uri,
    async start() {
      if (child) return;
      child = spawn(
        bin,
        [`-listen-addr=127.0.0.1:${port}`, `-sqlite-url=file:${dir}/`, '-log-level=error'],
        {
          stdio: 'ignore',
        },
      );
      await waitUntilAnswering(uri, 15_000);
    },
    async stop() {
      const running = child;
      if (!running) return;
      child = undefined;
      if (running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await Promise.race([exited, sleep(5_000).then(() => running.kill('SIGKILL'))]);
      await exited;
    },
    async destroy() {
      await own.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await own.start();
  return own;
}
