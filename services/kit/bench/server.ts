// One hello-world server for bench/overhead.ts, chosen by BENCH_VARIANT:
//   bare      Express 5 answering { hello: 'world' }, nothing else
//   kit       createServiceApp + securityHeaders + corsAllowlist + finalize, as the services do
//   -<name>   `kit` with one of its middleware layers taken out of the app's router stack:
//             requestId, httpLogger, metrics, health, metricsRoute, jsonGuard, json, security, cors
//   helmet    `kit` with helmet() (default options) instead of securityHeaders(), as in
//             services/profile/bench/kit-hello-world.ts
// BENCH_REQUESTS=<n> does not listen: it feeds <n> keep-alive GET / requests through a fake socket
// (Node's own HTTP parser and ServerResponse, no kernel, no load generator), prints the process's
// CPU microseconds per request and exits: the precise number for attributing costs on a busy machine.
// BENCH_TRACING=1 starts tracing first (OTLP endpoint BENCH_OTLP, default a closed port), and only
// then imports express, as a service's --import ./src/instrumentation.ts does.
// BENCH_KIT_SRC=<dir> imports the kit from <dir> (absolute, or relative to this file) instead of
// ../src: another checkout's services/kit/src, for before/after in one run.
import type { Express, RequestHandler } from 'express';
import type * as TracingModule from '../src/tracing.ts';
import type * as AppModule from '../src/app.ts';
import type * as HealthModule from '../src/health.ts';
import type * as HttpSecurityModule from '../src/http-security.ts';
import type * as LoggerModule from '../src/logger.ts';
import type * as MetricsModule from '../src/metrics.ts';

const variant = process.env.BENCH_VARIANT ?? 'kit';
const src = process.env.BENCH_KIT_SRC ?? '../src';
const tracingOn = process.env.BENCH_TRACING === '1';

// Typed as ../src's modules; loaded from `src`.
const load = <T>(name: string): Promise<T> => import(`${src}/${name}.ts`) as Promise<T>;

if (tracingOn) {
  const { startTracing } = await load<typeof TracingModule>('tracing');
  startTracing({
    serviceName: 'kit-bench',
    otlpEndpoint: process.env.BENCH_OTLP ?? 'http://127.0.0.1:9',
  });
}

const { default: express } = await import('express');
const { default: helmet } = await import('helmet');
const { createServiceApp, finalize } = await load<typeof AppModule>('app');
const { createHealth } = await load<typeof HealthModule>('health');
const { corsAllowlist, securityHeaders } = await load<typeof HttpSecurityModule>('http-security');
const { createLogger } = await load<typeof LoggerModule>('logger');
const { createMetrics } = await load<typeof MetricsModule>('metrics');

const hello: RequestHandler = (_req, res) => {
  res.json({ hello: 'world' });
};
const origins = ['https://app.example.test'];
const logger = createLogger({ name: 'kit-bench', level: process.env.LOG_LEVEL ?? 'warn' });
const metrics = createMetrics({ serviceName: 'kit-bench' });
const health = createHealth();

// The kit app's middleware layers, in createServiceApp's order and then the service's, with the
// names Express gives them (now, then in older checkouts: anonymous, or the library's own).
const layers: [string, ...string[]][] = [
  ['requestId', 'requestId', '<anonymous>'],
  ['httpLogger', 'accessLog', '<anonymous>'],
  ['metrics', 'httpMetrics'],
  ['health', 'healthRoutes', 'router'],
  ['metricsRoute', 'handle'],
  ['security', 'securityHeaders', 'helmetMiddleware'],
  ['cors', 'corsAllowlist', 'corsMiddleware'],
];

function build(): Express {
  if (variant === 'bare') {
    const app = express();
    app.disable('x-powered-by');
    app.get('/', hello);
    return app;
  }
  const without = variant.startsWith('-') ? variant.slice(1) : undefined;
  if (variant !== 'kit' && variant !== 'helmet' && without === undefined) {
    throw new Error(`unknown BENCH_VARIANT ${variant}`);
  }
  const app = createServiceApp({ serviceName: 'kit-bench', logger, metrics, health });
  app.use(variant === 'helmet' ? helmet() : securityHeaders());
  app.use(corsAllowlist(origins));
  if (without !== undefined) {
    const index = layers.findIndex(([name]) => name === without);
    if (index === -1) throw new Error(`unknown layer ${without}`);
    const stack = (app as unknown as { router: { stack: { name: string }[] } }).router.stack;
    const name = stack[index]?.name ?? '';
    if (stack.length !== layers.length || !layers[index]?.slice(1).includes(name)) {
      throw new Error(`layer ${index} is ${name}, not ${without}: update bench/server.ts`);
    }
    stack.splice(index, 1);
  }
  app.get('/', hello);
  return finalize(app);
}

const app = build();
const inProcess = Number(process.env.BENCH_REQUESTS ?? 0);
if (inProcess > 0) {
  const { createServer } = await import('node:http');
  const { Duplex } = await import('node:stream');
  const server = createServer(app);
  const request = Buffer.from(
    'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: bench\r\nAccept: */*\r\n\r\n',
  );
  const socket = new Duplex({
    read() {
      // requests are pushed below
    },
    write(_chunk, _encoding, callback) {
      callback();
    },
    writev(_chunks, callback) {
      callback();
    },
  });
  Object.assign(socket, { remoteAddress: '127.0.0.1' });
  // A warm-up of a fifth of the requests, then the measured ones, 8 in flight.
  const warmup = Math.ceil(inProcess / 5);
  let finished = 0;
  let started: { cpu: NodeJS.CpuUsage; wall: bigint } | undefined;
  server.on('request', (_req, res) => {
    res.on('close', () => {
      finished += 1;
      if (finished === warmup) started = { cpu: process.cpuUsage(), wall: process.hrtime.bigint() };
      if (finished === warmup + inProcess && started) {
        const cpu = process.cpuUsage(started.cpu);
        const wall = Number(process.hrtime.bigint() - started.wall) / 1e3;
        const perRequest = (us: number) => Math.round((us / inProcess) * 100) / 100;
        process.stdout.write(
          `${JSON.stringify({ cpuUs: perRequest(cpu.user + cpu.system), wallUs: perRequest(wall) })}\n`,
        );
        process.exit(0);
      }
      setImmediate(() => socket.push(request));
    });
  });
  server.emit('connection', socket);
  for (let i = 0; i < 8; i += 1) socket.push(request);
} else {
  const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`${typeof address === 'object' && address ? address.port : ''}\n`);
  });
  // A clean exit, so `node --cpu-prof` writes its profile.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => process.exit(0));
}
