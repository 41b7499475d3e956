// PostgreSQL, Redis and FerretDB servers a fault test owns and may kill: never the shared ones.
// Each runs in a process group of its own, so SIGKILL takes the server and all its workers at
// once, as a crashed node would; start() brings it back on the same port and data.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { requireEnv } from '../smoke/env.ts';
import { freePort } from './stack.ts';

export interface OwnServer {
  readonly name: string;
  readonly url: string;
  /** SIGKILL to the whole process group; resolves once it is gone. */
  kill(): Promise<void>;
  /** Starts it (again) on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  destroy(): Promise<void>;
}

async function listening(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

function ownServer(options: {
  name: string;
  url: string;
  port: number;
  dir: string;
  command: () => { command: string; args: string[] };
  /** Extra readiness (PostgreSQL accepts connections before it accepts logins). */
  ready?: () => Promise<void>;
}): OwnServer {
  let child: ChildProcess | undefined;
  const server: OwnServer = {
    name: options.name,
    url: options.url,
    async start() {
      if (child) return;
      const { command, args } = options.command();
      child = spawn(command, args, { stdio: 'ignore', detached: true });
      await listening(options.port, 30_000);
      await options.ready?.();
    },
    async kill() {
      const running = child;
      child = undefined;
      if (!running?.pid || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      process.kill(-running.pid, 'SIGKILL');
      await exited;
    },
    async destroy() {
      await server.kill();
      rmSync(options.dir, { recursive: true, force: true });
    },
  };
  return server;
}

const PG_BIN = '/usr/lib/postgresql/15/bin';

export async function ownPostgres(): Promise<OwnServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ums-fault-pg-'));
  const port = await freePort();
  const password = `fault-${port}-${Date.now()}`;
  const asRoot = process.getuid?.() === 0;
  // PostgreSQL refuses to run as root: the Debian package's 'postgres' user runs it then.
  const as = (command: string, args: string[]) =>
    asRoot
      ? {
          command: 'setpriv',
          args: ['--reuid=postgres', '--regid=postgres', '--init-groups', command, ...args],
        }
      : { command, args };
  if (asRoot) chownSync(dir, uidOf('postgres'), gidOf('postgres'));
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, password);
  if (asRoot) chownSync(pwfile, uidOf('postgres'), gidOf('postgres'));
  const init = as(`${PG_BIN}/initdb`, [
    '-D',
    join(dir, 'data'),
    '-U',
    'ums',
    `--pwfile=${pwfile}`,
    '--auth-host=scram-sha-256',
    '--auth-local=trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ]);
  const result = spawnSync(init.command, init.args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`initdb failed: ${result.stderr}`);
  const url = `postgres://ums:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const server = ownServer({
    name: 'PostgreSQL',
    url,
    port,
    dir,
    command: () =>
      as(`${PG_BIN}/postgres`, [
        '-D',
        join(dir, 'data'),
        '-p',
        String(port),
        '-k',
        dir,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=on',
      ]),
    async ready() {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const ping = spawnSync(`${PG_BIN}/pg_isready`, ['-h', '127.0.0.1', '-p', String(port)]);
        if (ping.status === 0) return;
        if (Date.now() > deadline) throw new Error('PostgreSQL did not become ready');
        await sleep(100);
      }
    },
  });
  await server.start();
  return server;
}

function idOf(flag: '-u' | '-g', user: string): number {
  return Number(spawnSync('id', [flag, user], { encoding: 'utf8' }).stdout.trim());
}
const uidOf = (user: string) => idOf('-u', user);
const gidOf = (user: string) => idOf('-g', user);

/** With the local default's persistence: append-only file, fsync every second. */
export async function ownRedis(): Promise<OwnServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ums-fault-redis-'));
  const port = await freePort();
  const server = ownServer({
    name: 'Redis',
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    command: () => ({
      command: 'redis-server',
      args: [
        '--bind',
        '127.0.0.1',
        '--port',
        String(port),
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--daemonize',
        'no',
      ],
    }),
  });
  await server.start();
  return server;
}

export async function ownFerretDb(): Promise<OwnServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ums-fault-ferretdb-'));
  const port = await freePort();
  const bin = requireEnv('FERRETDB_BIN'); // recorded by `npm run infra:up`
  const server = ownServer({
    name: 'FerretDB',
    url: `mongodb://127.0.0.1:${port}/`,
    port,
    dir,
    command: () => ({
      command: bin,
      args: [`-listen-addr=127.0.0.1:${port}`, `-sqlite-url=file:${dir}/`, '-log-level=error'],
    }),
  });
  await server.start();
  return server;
}
