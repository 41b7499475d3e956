// Starts the real local stack (`node scripts/src/stack/start.ts`, what `npm start` runs) on free
// ports against a fresh database, for end-to-end tests that drive it over HTTP like a client.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { requireEnv, uniqueSuffix } from '../smoke/env.ts';

const root = new URL('../../../', import.meta.url).pathname;

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

export interface RunningStack {
  gateway: string;
  /** The auth service's own port, for what a client reaching it directly can do. */
  auth: string;
  /** The web app's origin (the dev server), as the services' CORS and cookie checks expect it. */
  web: string;
  mailDir: string;
  ports: StackPorts;
  /** The stack's own databases on the servers it was given. */
  databases: { postgres: string; mongodb: string };
  output: () => string;
  /**
   * Values the test handled that must never be logged (passwords typed, TOTP secrets shown):
   * recorded for the log scan at the end of `npm test`, with the tokens this stack mailed.
   */
  remember: (...secrets: string[]) => void;
  /** Sends SIGINT (Ctrl-C) and resolves with the exit code. */
  stop: () => Promise<number>;
}

export interface StackPorts {
  gateway: number;
  auth: number;
  profile: number;
  web: number;
}

export interface StackOptions {
  timeoutMs?: number;
  /** Ports chosen beforehand (say, for a Prometheus configured before the stack starts). */
  ports?: StackPorts;
  /** Added to the stack's environment last, e.g. `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  env?: Readonly<Record<string, string>>;
  /** Servers of the test's own instead of the shared local ones (a fault test kills them). */
  servers?: { databaseUrl: string; mongodbUri: string; redisUrl: string };
}

/** Free loopback ports for every process of a stack. */
export async function freeStackPorts(): Promise<StackPorts> {
  return {
    gateway: await freePort(),
    auth: await freePort(),
    profile: await freePort(),
    web: await freePort(),
  };
}

export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const timeoutMs = options.timeoutMs ?? 90_000;
  const suffix = uniqueSuffix();
  const base = new URL(options.servers?.databaseUrl ?? requireEnv('DATABASE_URL'));
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE e2e_${suffix}`);
  await admin.end();
  const database = new URL(base);
  database.pathname = `/e2e_${suffix}`;
  const mongo = new URL(options.servers?.mongodbUri ?? requireEnv('MONGODB_URI'));
  mongo.pathname = `/e2e_${suffix}`;
  const ports = options.ports ?? (await freeStackPorts());
  const { gateway: gatewayPort, auth: authPort, profile: profilePort, web: webPort } = ports;
  const mailDir = mkdtempSync(join(tmpdir(), 'ums-e2e-mail-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.toString(),
    MONGODB_URI: mongo.toString(),
    ...(options.servers && { REDIS_URL: options.servers.redisUrl }),
    REDIS_KEY_PREFIX: `e2e:${suffix}:`,
    EVENTS_STREAM: `e2e:${suffix}:events`,
    TOKEN_KEK: `e2e-${suffix}-${'k'.repeat(32)}`,
    GATEWAY_PORT: String(gatewayPort),
    AUTH_PORT: String(authPort),
    PROFILE_PORT: String(profilePort),
    WEB_PORT: String(webPort),
    MAIL_OUTBOX_DIR: mailDir,
    NODE_ENV: 'development',
    // Several stacks run at once: none starts the monitoring servers on their fixed ports (a
    // test that wants them starts its own with scripts/src/monitoring and sets the OTLP endpoint).
    UMS_MONITORING: '0',
    ...options.env,
  };
  const child: ChildProcess = spawn(process.execPath, [join(root, 'scripts/src/stack/start.ts')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const secrets: string[] = [];
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));

  const deadline = Date.now() + timeoutMs;
  while (!out.includes('Press Ctrl-C to stop.')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the stack did not start:\n${out.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    gateway: `http://127.0.0.1:${gatewayPort}`,
    auth: `http://127.0.0.1:${authPort}`,
    web: `http://localhost:${webPort}`,
    mailDir,
    ports,
    databases: { postgres: database.toString(), mongodb: mongo.toString() },
    output: () => out,
    remember: (...values) => secrets.push(...values),
    async stop() {
      child.kill('SIGINT');
      const code = await exited;
      keepForLogScan(`stack-${suffix}`, out, [...secrets, ...mailedTokens(mailDir)]);
      const c = new pg.Client({ connectionString: base.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS e2e_${suffix} WITH (FORCE)`);
      await c.end();
      return code;
    },
  };
}

/**
 * With UMS_LOG_CAPTURE_DIR set (`npm test` sets it), a stack's whole output and the secrets it
 * saw are kept there for scripts/src/stack/log-scan.ts.
 */
function keepForLogScan(name: string, output: string, secrets: readonly string[]): void {
  const dir = process.env.UMS_LOG_CAPTURE_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.log`), output);
  writeFileSync(join(dir, `${name}.secrets.json`), JSON.stringify(secrets));
}

interface MailedMessage {
  to: string;
  links: Record<string, string>;
}

function mailedMessages(mailDir: string): MailedMessage[] {
  return readdirSync(mailDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(mailDir, f), 'utf8')) as MailedMessage);
}

const linkToken = (link: string) => {
  const token = new URL(link).hash.match(/token=([^&]+)/)?.[1];
  return token ? decodeURIComponent(token) : undefined;
};

/** Every token in a link this stack mailed (verification, reset, sign-in notices). */
function mailedTokens(mailDir: string): string[] {
  return mailedMessages(mailDir)
    .flatMap((m) => Object.values(m.links).map(linkToken))
    .filter((t): t is string => t !== undefined);
}

/** The token in the newest mailed link to `to` (links carry it in the fragment: `#token=`). */
export async function mailedToken(
  mailDir: string,
  to: string,
  timeoutMs = 10_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = mailedMessages(mailDir).filter((m) => m.to.toLowerCase() === to.toLowerCase());
    const link = Object.values(mails.at(-1)?.links ?? {})[0];
    const token = link ? linkToken(link) : undefined;
    if (token) return token;
    if (Date.now() > deadline) throw new Error(`no mailed link to ${to}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
