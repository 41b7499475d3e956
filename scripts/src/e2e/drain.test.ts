// SIGTERM under keep-alive load (docs/testing.md): the test plays the load balancer, sending
// requests over keep-alive connections while the service's readiness says it may, as an
// ingress or ALB does. The service must fail readiness first, finish everything it accepted,
// and exit 0 within its grace period; no request may fail.
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { alive, listenerPid } from './processes.ts';
import { startStack, type RunningStack } from './stack.ts';

const DRAIN_DELAY_MS = 1_500;
const SHUTDOWN_TIMEOUT_MS = 10_000;
const WORKERS = 8;

interface Outcome {
  at: number;
  result: number | string;
}

function get(
  agent: Agent | false,
  port: number,
  path: string,
  token?: string,
): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        agent,
        timeout: 5_000,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

describe.each([
  ['auth', (s: RunningStack) => s.ports.auth, '/api/v1/auth/me'],
  ['profile', (s: RunningStack) => s.ports.profile, '/api/v1/users/me'],
])('SIGTERM to the %s service under keep-alive load', (service, portOf, path) => {
  let stack: RunningStack;
  let token = '';

  beforeAll(async () => {
    stack = await startStack({
      env: {
        SHUTDOWN_DRAIN_DELAY_MS: String(DRAIN_DELAY_MS),
        SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      },
    });
    const res = await fetch(`${stack.gateway}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'john.doe@example.com', password: 'DemoUser123!' }),
    });
    token = ((await res.json()) as { accessToken: string }).accessToken;
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('when SIGTERM arrives, then readiness fails first, no request fails, and it exits 0 within the grace period', async () => {
    const port = portOf(stack);
    const pid = listenerPid(port);
    const agent = new Agent({ keepAlive: true, maxSockets: WORKERS });
    const outcomes: Outcome[] = [];
    let routing = true;
    let readyFailedAt = Infinity;

    // The balancer: readiness over fresh connections every 100 ms; on a 503 it stops routing.
    const probing = (async () => {
      while (routing) {
        const status = await get(false, port, '/ready');
        if (status === 503) {
          readyFailedAt = Date.now();
          routing = false;
        } else if (status !== 200) {
          outcomes.push({ at: Date.now(), result: `readiness ${status}` });
          routing = false;
        }
        await sleep(100);
      }
    })();
    const load = Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (routing) {
          const at = Date.now();
          outcomes.push({ at, result: await get(agent, port, path, token) });
        }
      }),
    );

    await sleep(1_500);
    const termAt = Date.now();
    process.kill(pid, 'SIGTERM');
    await Promise.all([probing, load]);
    while (alive(pid) && Date.now() - termAt < SHUTDOWN_TIMEOUT_MS + DRAIN_DELAY_MS + 5_000)
      await sleep(50);
    const exitMs = Date.now() - termAt;
    agent.destroy();

    const failed = outcomes.filter((o) => o.result !== 200);
    const duringDrain = outcomes.filter((o) => o.at >= termAt).length;
    const code = await (async () => {
      for (let i = 0; i < 50; i += 1) {
        const match = new RegExp(`${service} exited with code (\\d+)`).exec(stack.output());
        if (match) return Number(match[1]);
        await sleep(100);
      }
      return undefined;
    })();
    console.log(
      `${service} drain: ${outcomes.length} requests (${duringDrain} after SIGTERM), ${failed.length} failed, readiness 503 after ${readyFailedAt - termAt} ms, exit ${code} after ${exitMs} ms`,
    );
    expect(failed.slice(0, 5)).toEqual([]);
    expect(duringDrain).toBeGreaterThan(0);
    expect(readyFailedAt - termAt).toBeLessThan(DRAIN_DELAY_MS);
    expect(alive(pid)).toBe(false);
    expect(exitMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS + DRAIN_DELAY_MS);
    expect(code).toBe(0);
  }, 60_000);
});
