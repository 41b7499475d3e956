// Auth service benchmarks, run on demand: `npm run bench -w @ums/auth` with the local servers up
// (`npm run infra:up`). Every figure is a ratio measured side by side in this one run on this
// machine, next to its absolute value; results go to bench/results/auth-<time>.json.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { Worker } from 'node:worker_threads';
import argon2 from 'argon2';
import autocannon from 'autocannon';
import pg from 'pg';
import { migrateUp } from '../src/data/migrate.ts';
import { ensureSystemRoles, seedDemoUsers } from '../src/data/seed.ts';
import { argon2Params } from '../src/domain/passwords.ts';

const here = new URL('.', import.meta.url).pathname;
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const say = (m: string) => process.stdout.write(`bench: ${m}\n`);

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

async function metric(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return Number(line?.split(' ').at(-1));
}

/** Raw argon2id verifications per second with the service's parameters, all cores busy. */
async function argon2Rate(): Promise<number> {
  const hash = await argon2.hash('a benchmark passphrase', argon2Params);
  let done = 0;
  const until = Date.now() + seconds * 1000;
  const lane = async () => {
    while (Date.now() < until) {
      await argon2.verify(hash, 'a benchmark passphrase');
      done++;
    }
  };
  await Promise.all([lane(), lane(), lane(), lane()]);
  return done / seconds;
}

/** Raw RS256 signatures per second, one worker per core. */
async function rs256Rate(): Promise<number> {
  const code = `
    const { parentPort } = require('node:worker_threads');
    const { generateKeyPairSync, sign } = require('node:crypto');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const until = Date.now() + ${seconds * 1000};
    let n = 0;
    while (Date.now() < until) { sign('sha256', Buffer.from('header.payload' + n), privateKey); n++; }
    parentPort.postMessage(n);`;
  const counts = await Promise.all(
    [0, 1].map(
      () =>
        new Promise<number>((resolve, reject) =>
          new Worker(code, { eval: true }).once('message', resolve).once('error', reject),
        ),
    ),
  );
  return counts.reduce((a, b) => a + b, 0) / seconds;
}

function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ duration: seconds, connections: 8, ...opts }, (err, result) =>
      err ? reject(err) : resolve(result),
    );
  });
}

/** Closed-loop refresh clients, one rotation chain each (a load tool cannot carry per-chain state). */
async function refreshLoop(
  url: string,
  tokens: string[],
): Promise<{ perSec: number; failed: number }> {
  let ok = 0;
  let failed = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    tokens.map(async (first) => {
      let token = first;
      while (Date.now() < until) {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refreshToken: token }),
        });
        const body = (await res.json()) as { refreshToken?: string };
        if (res.ok && body.refreshToken) {
          token = body.refreshToken;
          ok++;
        } else {
          failed++;
          return;
        }
      }
    }),
  );
  return { perSec: ok / seconds, failed };
}

const randomIp = () => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

async function main(): Promise<void> {
  const base = new URL(process.env.DATABASE_URL ?? '');
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL)
    throw new Error('DATABASE_URL and REDIS_URL must be set (npm run infra:up)');
  const dbName = `bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const dbUrl = new URL(base);
  dbUrl.pathname = `/${dbName}`;
  await migrateUp(dbUrl.toString());
  const pool = new pg.Pool({ connectionString: dbUrl.toString(), max: 2 });
  await ensureSystemRoles(pool);
  await seedDemoUsers(pool, 'development');
  await pool.end();

  const port = await freePort();
  const service: ChildProcess = spawn(
    process.execPath,
    ['--import', './src/instrumentation.ts', 'src/main.ts'],
    {
      cwd: new URL('..', import.meta.url).pathname,
      env: {
        ...process.env,
        DATABASE_URL: dbUrl.toString(),
        PORT: String(port),
        TOKEN_KEK: randomBytes(32).toString('base64'),
        TRUSTED_PROXIES: '127.0.0.1',
        LOG_LEVEL: 'warn',
        COOKIE_SECURE: 'false',
        REDIS_KEY_PREFIX: `${dbName}:`,
        EVENTS_STREAM: `${dbName}:events`,
        MAIL_OUTBOX_DIR: `/tmp/${dbName}-mail`,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  // The baseline: Express hello-world in its own process on the same machine.
  const helloPort = await freePort();
  const hello = spawn(
    process.execPath,
    [
      '-e',
      "require('express')().disable('x-powered-by').get('/', (q, s) => s.json({ hello: 'world' })).listen(Number(process.argv[1]), '127.0.0.1')",
      String(helloPort),
    ],
    { cwd: new URL('..', import.meta.url).pathname, stdio: 'ignore' },
  );
  const svc = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${svc}/ready`);
    await new Promise((r) => setTimeout(r, 3000));
    const idleRssMb = (await metric(svc, 'process_resident_memory_bytes')) / 2 ** 20;
    say(`idle RSS ${idleRssMb.toFixed(1)} MB`);

    const argonPerSec = await argon2Rate();
    say(`raw argon2id verify: ${argonPerSec.toFixed(1)}/s`);
    // An API client's sign-in: the refresh token comes in the body, for the refresh chains below.
    const body = JSON.stringify({
      email: 'john.doe@example.com',
      password: 'DemoUser123!',
      refreshTokenDelivery: 'body',
    });
    await metric(svc, 'nodejs_eventloop_lag_p99_seconds'); // scraping resets the lag histogram
    const login = await cannon({
      url: `${svc}/api/v1/auth/login`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      requests: [
        {
          setupRequest: (req) => ({
            ...req,
            body,
            headers: { ...req.headers, 'x-forwarded-for': randomIp() },
          }),
        },
      ],
    });
    const lagP99Ms = (await metric(svc, 'nodejs_eventloop_lag_p99_seconds')) * 1000;
    say(
      `login: ${login.requests.average.toFixed(1)} req/s (non-2xx ${login.non2xx}), event-loop lag p99 ${lagP99Ms.toFixed(1)} ms`,
    );

    const rsPerSec = await rs256Rate();
    say(`raw RS256 sign: ${rsPerSec.toFixed(0)}/s`);
    const tokens: string[] = [];
    let accessToken = '';
    for (let i = 0; i < 8; i++) {
      const r = (await (
        await fetch(`${svc}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': randomIp() },
          body,
        })
      ).json()) as { refreshToken: string; accessToken: string };
      tokens.push(r.refreshToken);
      accessToken = r.accessToken;
    }
    // Each of 8 clients walks its own rotation chain: every request carries the token just issued.
    const refresh = await refreshLoop(`${svc}/api/v1/auth/refresh`, tokens);
    say(`refresh: ${refresh.perSec.toFixed(1)} req/s (failed ${refresh.failed})`);

    const me = await cannon({
      url: `${svc}/api/v1/auth/me`,
      headers: { authorization: `Bearer ${accessToken}` },
    });
    await waitFor(`http://127.0.0.1:${helloPort}/`);
    const baseline = await cannon({ url: `http://127.0.0.1:${helloPort}/` });
    say(
      `/me: ${me.requests.average.toFixed(0)} req/s vs hello-world ${baseline.requests.average.toFixed(0)} req/s`,
    );

    const results = {
      when: new Date().toISOString(),
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
      secondsPerRun: seconds,
      idleRssMb: +idleRssMb.toFixed(1),
      login: {
        perSec: login.requests.average,
        non2xx: login.non2xx,
        argon2VerifyPerSec: argonPerSec,
        ratio: login.requests.average / argonPerSec,
        goal: 0.85,
        eventLoopLagP99Ms: lagP99Ms,
      },
      refresh: {
        perSec: refresh.perSec,
        failed: refresh.failed,
        rs256SignPerSec: rsPerSec,
        ratio: refresh.perSec / rsPerSec,
        goal: '≥ 0.5 and ≥ 1000/s',
      },
      me: {
        perSec: me.requests.average,
        p99Ms: me.latency.p99,
        helloWorldPerSec: baseline.requests.average,
        ratio: me.requests.average / baseline.requests.average,
        goal: 0.5,
      },
    };
    mkdirSync(`${here}results`, { recursive: true });
    const file = `${here}results/auth-${results.when.replace(/[:.]/g, '-')}.json`;
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    say(`written ${file}`);
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } finally {
    service.kill('SIGTERM');
    hello.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
