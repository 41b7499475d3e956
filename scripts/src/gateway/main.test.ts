import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import type { RunningServer } from './test-servers.ts';
import { startServer } from './test-servers.ts';

// Jest runs these tests as native ES modules, where __dirname does not exist.
const here = fileURLToPath(new URL('.', import.meta.url));

// Spawns the real entry point with the Node running Jest (Node 24 strips the types itself).
const MAIN = join(here, 'main.ts');

interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  readonly exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
  output(): { stdout: string; stderr: string };
}

const children: ChildProcessWithoutNullStreams[] = [];
const servers: RunningServer[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function runMain(env: Record<string, string>): Child {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_PORT: '0',
      AUTH_URL: '',
      PROFILE_URL: '',
      WEB_URL: '',
      ...env,
    },
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return { process: child, exit, output: () => ({ stdout, stderr }) };
}

async function listeningUrl(child: Child): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const match = /listening on (http:\/\/\S+)/.exec(child.output().stdout);
    if (match?.[1]) return match[1];
    if (child.process.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`gateway did not start:\n${JSON.stringify(child.output())}`);
}

describe('main.ts', () => {
  test('when AUTH_URL is malformed, then it exits 1 with a message naming the variable', async () => {
    const result = await runMain({ AUTH_URL: 'localhost:3001' }).exit;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^gateway: AUTH_URL must use http or https/);
    expect(result.stderr).toContain('"localhost:3001"');
    expect(result.stdout).not.toContain('listening');
  });

  test('when started, then /health answers and SIGTERM exits 0 promptly', async () => {
    const child = runMain({});
    const url = await listeningUrl(child);
    const response = await fetch(`${url}/health?probe=1`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      services: { auth: 'not_configured', profile: 'not_configured' },
    });
    const stopping = performance.now();
    child.process.kill('SIGTERM');
    const result = await child.exit;
    expect(result.code).toBe(0);
    expect(performance.now() - stopping).toBeLessThan(5_000);
    const requestLine = result.stdout.split('\n').find((line) => line.includes('"msg":"request"'));
    expect(JSON.parse(requestLine ?? '{}')).toEqual({
      time: expect.any(String),
      level: 'info',
      msg: 'request',
      method: 'GET',
      path: '/health',
      status: 200,
      ms: expect.any(Number),
      requestId: response.headers.get('x-request-id'),
    });
  });

  test('when SIGTERM arrives during a proxied request, then that request still completes', async () => {
    let received: () => void = () => undefined;
    const upstreamReached = new Promise<void>((resolve) => (received = resolve));
    const slowAuth = await startServer((_req, res) => {
      received();
      setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('finished'), 500);
    });
    servers.push(slowAuth);
    const child = runMain({ AUTH_URL: slowAuth.url });
    const url = await listeningUrl(child);
    const inFlight = fetch(`${url}/api/v1/auth/slow`);
    await upstreamReached;
    child.process.kill('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('finished');
    const result = await child.exit;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"graceful":true');
  });
});
