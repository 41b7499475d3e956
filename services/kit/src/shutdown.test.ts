import { jest } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createShutdown } from './shutdown.ts';
import type { ShutdownOptions } from './shutdown.ts';
import { captureLogger } from './test/test-support.ts';

interface Harness {
  server: http.Server;
  port: number;
  /** Resolves when the server has received a request to `path`. */
  arrived: (path: string) => Promise<void>;
}

// /slow answers after 300ms, /hang never answers, anything else answers at once.
async function startServer(): Promise<Harness> {
  const waiters = new Map<string, () => void>();
  const server = http.createServer((req, res) => {
    waiters.get(req.url ?? '')?.();
    if (req.url === '/hang') return;
    const delay = req.url === '/slow' ? 300 : 0;
    setTimeout(() => res.end('done'), delay);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const arrived = (path: string) => new Promise<void>((resolve) => waiters.set(path, resolve));
  return { server, port, arrived };
}

interface Reply {
  status: number;
  body: string;
  connection: string | undefined;
}

function get(port: number, path: string, agent?: http.Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

function setup(harness: Harness, overrides: Partial<ShutdownOptions> = {}) {
  const captured = captureLogger();
  const exit = jest.fn((_code: number) => undefined);
  const onDraining = jest.fn();
  const shutdown = createShutdown({
    server: harness.server,
    logger: captured.logger,
    timeoutMs: 2000,
    onDraining,
    exit,
    ...overrides,
  });
  return { ...captured, exit, onDraining, ...shutdown };
}

describe('createShutdown', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startServer();
  });
  afterEach(() => {
    harness.server.closeAllConnections();
    harness.server.close();
  });

  it('when shutdown starts during a slow request, then that request still completes', async () => {
    const { shutdown, exit, onDraining } = setup(harness);
    const arrived = harness.arrived('/slow');
    const reply = get(harness.port, '/slow');
    await arrived;
    const done = shutdown('SIGTERM');
    expect(onDraining).toHaveBeenCalledTimes(1);
    await expect(reply).resolves.toMatchObject({ status: 200, body: 'done' });
    await done;
    expect(exit).toHaveBeenCalledWith(0);
  });

  it('when shutdown has started, then new connections are refused', async () => {
    const { shutdown } = setup(harness);
    const done = shutdown();
    await expect(get(harness.port, '/fast')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await done;
  });

  it('when a keep-alive connection sits idle, then it does not hold up shutdown', async () => {
    const agent = new http.Agent({ keepAlive: true });
    const { shutdown, exit } = setup(harness, { timeoutMs: 5000 });
    await get(harness.port, '/fast', agent);
    expect(Object.keys(agent.freeSockets)).toHaveLength(1);
    const started = Date.now();
    await shutdown();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(exit).toHaveBeenCalledWith(0);
    agent.destroy();
  });

  it('when a keep-alive request is in flight, then its response closes the connection', async () => {
    const agent = new http.Agent({ keepAlive: true });
    const { shutdown, exit } = setup(harness, { timeoutMs: 5000 });
    const arrived = harness.arrived('/slow');
    const reply = get(harness.port, '/slow', agent);
    await arrived;
    const started = Date.now();
    const done = shutdown();
    await expect(reply).resolves.toMatchObject({ status: 200, connection: 'close' });
    await done;
    expect(Date.now() - started).toBeLessThan(1500);
    expect(exit).toHaveBeenCalledWith(0);
    agent.destroy();
  });

  it('when a request outlives the deadline, then it is cut and the exit code is 1', async () => {
    const { shutdown, exit, records } = setup(harness, { timeoutMs: 200 });
    const arrived = harness.arrived('/hang');
    const reply = get(harness.port, '/hang');
    await arrived;
    const started = Date.now();
    await shutdown();
    await expect(reply).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(exit).toHaveBeenCalledWith(1);
    expect(records().some((r) => r.msg === 'shutdown deadline hit; connections were cut')).toBe(
      true,
    );
  });

  it('when closers are given, then they run in order after the server closed, errors logged', async () => {
    const calls: string[] = [];
    const { shutdown, exit, records } = setup(harness, {
      closerTimeoutMs: 100,
      closers: [
        {
          name: 'db',
          close: async () => void calls.push(`db:listening=${harness.server.listening}`),
        },
        {
          name: 'broken',
          close: async () => {
            calls.push('broken');
            throw new Error('boom');
          },
        },
        { name: 'hung', close: () => new Promise(() => calls.push('hung')) },
        { name: 'redis', close: async () => void calls.push('redis') },
      ],
    });
    await shutdown();
    expect(calls).toEqual(['db:listening=false', 'broken', 'hung', 'redis']);
    const failures = records().filter((r) => r.msg === 'closer failed');
    expect(failures.map((r) => r.closer)).toEqual(['broken', 'hung']);
    expect(exit).toHaveBeenCalledWith(0);
  });

  it('when shutdown is triggered twice, then it runs once', async () => {
    const close = jest.fn(async () => undefined);
    const { shutdown, exit, onDraining } = setup(harness, { closers: [{ name: 'db', close }] });
    const first = shutdown('SIGTERM');
    const second = shutdown('SIGINT');
    expect(second).toBe(first);
    await Promise.all([first, second]);
    expect(onDraining).toHaveBeenCalledTimes(1);
    expect(close).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledTimes(1);
  });

  it('when installed and the signal arrives twice, then shutdown runs once', async () => {
    const before = process.listeners('SIGUSR2');
    const { install, exit, records } = setup(harness);
    install(['SIGUSR2']);
    const added = process.listeners('SIGUSR2').filter((l) => !before.includes(l));
    try {
      expect(added).toHaveLength(1);
      process.emit('SIGUSR2', 'SIGUSR2');
      process.emit('SIGUSR2', 'SIGUSR2');
      for (let i = 0; i < 50 && exit.mock.calls.length === 0; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(exit).toHaveBeenCalledTimes(1);
      expect(records().filter((r) => r.msg === 'shutdown started')).toHaveLength(1);
    } finally {
      for (const listener of added) process.removeListener('SIGUSR2', listener);
    }
  });
});
