// Helpers for the end-to-end tests on the full local cluster (`npm run platform:up`): kubectl
// against .local/kubeconfig, polling, and HTTP through the Traefik ingress with the instance's host.
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireEnv } from '../smoke/env.ts';

const root = new URL('../../../', import.meta.url).pathname;
/** A command's standard output; rejects with its standard error when it fails. */
export const run = promisify(execFile);

export const namespace = 'user-management-dev';
export const host = 'ums.localtest.me';

export async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run(join(root, '.local/bin/kubectl'), args, {
    env: { ...process.env, KUBECONFIG: requireEnv('KUBECONFIG') },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** `kubectl apply -f -` with a manifest given as an object. */
export async function kubectlApply(manifest: unknown, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      join(root, '.local/bin/kubectl'),
      ['apply', '-f', '-', ...args],
      { env: { ...process.env, KUBECONFIG: requireEnv('KUBECONFIG') } },
      (error, stdout, stderr) =>
        error ? reject(new Error(stderr || error.message)) : resolve(stdout),
    );
    child.stdin?.end(JSON.stringify(manifest));
  });
}

export async function getJson<T = Record<string, unknown>>(...args: string[]): Promise<T> {
  return JSON.parse(await kubectl('get', '-o', 'json', ...args)) as T;
}

/** Polls `check` until it returns something other than undefined, or fails with `what`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface Instance {
  metadata: { generation?: number };
  spec: Record<string, unknown>;
  status?: {
    conditions?: Condition[];
    version?: string;
    endpoint?: string;
    observedGeneration?: number;
  };
}

export const condition = (instance: Instance, type: string): Condition | undefined =>
  instance.status?.conditions?.find((c) => c.type === type);

export interface Pod {
  metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string };
  spec: { serviceAccountName?: string; containers: { image: string }[] };
  status: { phase?: string; conditions?: Condition[] };
}

export const podReady = (pod: Pod): boolean =>
  pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

export async function pods(selector?: string, ns = namespace): Promise<Pod[]> {
  const list = await getJson<{ items: Pod[] }>(
    'pods',
    '-n',
    ns,
    ...(selector ? ['-l', selector] : []),
  );
  return list.items;
}

export const componentSelector = (component: string) =>
  `app.kubernetes.io/instance=dev,app.kubernetes.io/component=${component}`;

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => Record<string, unknown>;
}

/** One request through the ingress on 127.0.0.1, with the instance's Host (no DNS needed). */
export function viaIngress(
  method: string,
  path: string,
  options: { body?: unknown; token?: string; timeoutMs?: number } = {},
): Promise<Reply> {
  const url = new URL(requireEnv('UMS_INGRESS_URL'));
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: url.port,
        method,
        path,
        agent: false,
        timeout: options.timeoutMs ?? 10_000,
        headers: {
          host: `${host}:${url.port}`,
          ...(body
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
            : {}),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text) as Record<string, unknown>,
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** The newest mail to `to` in the auth pod's outbox (MAIL_OUTBOX_DIR=/tmp/mail in the cluster). */
export async function mailedTokenInPod(to: string, timeoutMs = 20_000): Promise<string> {
  return waitFor(
    `a mail to ${to} in the auth pod`,
    async () => {
      const out = await kubectl(
        'exec',
        '-n',
        namespace,
        'deploy/dev-auth',
        '--',
        'node',
        '-e',
        `const fs=require('fs');const d='/tmp/mail';const f=fs.existsSync(d)?fs.readdirSync(d).filter(n=>n.endsWith('.json')).sort():[];` +
          `console.log(JSON.stringify(f.map(n=>JSON.parse(fs.readFileSync(d+'/'+n,'utf8')))))`,
      );
      const mails = (JSON.parse(out) as { to: string; links: Record<string, string> }[]).filter(
        (m) => m.to.toLowerCase() === to.toLowerCase(),
      );
      const link = Object.values(mails.at(-1)?.links ?? {})[0];
      const token = link ? new URL(link).hash.match(/token=([^&]+)/)?.[1] : undefined;
      return token ? decodeURIComponent(token) : undefined;
    },
    timeoutMs,
  );
}
