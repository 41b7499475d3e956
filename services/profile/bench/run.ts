// Profile service benchmarks, side by side in one run (npm run bench -w @ums/profile, with the
// local env loaded):
//   1. seed 100,000 users into a FerretDB of the bench's own (the shared server is left alone);
//   2. directory latency (p50/p95) through the real HTTP service, one request at a time;
//   3. a full CSV export: time, size and the service's peak RSS, then again on a service whose
//      V8 heap is capped far below the data it streams (it only completes in constant memory);
//   4. authenticated GET /api/v1/users/me (profile cache on and off) vs an Express hello world and
//      a hello world behind the kit's middleware, with autocannon.
// Results go to bench/results/<time>.json and latest.json (git-ignored). BENCH_USERS overrides
// the user count.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { MongoClient } from 'mongodb';
import { migrateUp } from '../src/data/migrate.ts';
import { startJwksServer } from '../src/test/jwks-server.ts';
import { freePort, startOwnFerretDb } from '../src/test/own-servers.ts';
import {
  cannon,
  measureExport,
  percentile,
  ratio,
  root,
  round,
  SERVICE,
  startHello,
  startService,
  stopProcess,
} from './processes.ts';
import { seedUsers } from './seed-users.ts';
import type { ChildProcess } from 'node:child_process';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const SMALL_HEAP_MIB = 64;
const say = (message: string) => process.stdout.write(`bench: ${message}\n`);

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (load .local/env first)`);
  return value;
}

async function directoryLatency(base: string, headers: Record<string, string>) {
  const searches = ['ada1', 'hopper', 'GRACE42', 'torvalds@', 'knuth', '99', 'linus7', 'bench.ex'];
  const queries = searches.map((q) => `q=${encodeURIComponent(q)}`);
  queries.push('role=admin', 'status=suspended', 'sort=email', 'sort=-createdAt');
  const latencies: number[] = [];
  for (const query of queries) {
    const t0 = performance.now();
    const res = await fetch(`${base}/api/v1/users?${query}&limit=20`, { headers });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`directory ${query}: ${res.status}`);
    latencies.push(performance.now() - t0);
  }
  return {
    requests: latencies.length,
    p50Ms: round(percentile(latencies, 50)),
    p95Ms: round(percentile(latencies, 95)),
    maxMs: round(Math.max(...latencies)),
  };
}

async function main(): Promise<void> {
  const ferret = await startOwnFerretDb();
  const jwks = await startJwksServer();
  const running: ChildProcess[] = [];
  const track = (child: ChildProcess) => (running.push(child), child);
  const results: Record<string, unknown> = {
    startedAt: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    database: 'FerretDB 1.24 (SQLite backend), own process',
    users: USERS,
  };
  try {
    const client = new MongoClient(ferret.uri);
    await migrateUp(client.db('bench'));
    const started = Date.now();
    const ids = await seedUsers(client.db('bench'), USERS);
    await client.close();
    results.seedSeconds = round((Date.now() - started) / 1000);
    say(`seeded ${USERS} users in ${results.seedSeconds} s`);

    const env = {
      MONGODB_URI: ferret.uri,
      MONGODB_DB: 'bench',
      REDIS_URL: requireEnv('REDIS_URL'),
      REDIS_KEY_PREFIX: `bench:${Date.now()}:`,
      AUTH_JWKS_URL: jwks.url,
      EVENTS_ENABLED: 'false',
      EXPORT_RATE_LIMIT: '1000',
      MONGODB_SERVER_SELECTION_TIMEOUT_MS: '30000',
      // Info-level access logs would measure the terminal; production ships them (see the doc).
      LOG_LEVEL: 'warn',
    };
    const admin = {
      authorization: `Bearer ${await jwks.sign({ sub: ids[0] as string, role: 'admin', permissions: ['users:read', 'users:export'], expiresIn: 3600 })}`,
    };
    const me = {
      authorization: `Bearer ${await jwks.sign({ sub: ids[1] as string, expiresIn: 3600 })}`,
    };

    const port = await freePort();
    const service = track(await startService(SERVICE, env, port));
    const base = `http://127.0.0.1:${port}`;
    results.directory = await directoryLatency(base, admin);
    say(`directory: ${JSON.stringify(results.directory)}`);
    results.export = await measureExport(base, admin, service.pid as number);
    say(`export: ${JSON.stringify(results.export)}`);
    const meCached = await cannon(`${base}/api/v1/users/me`, me);
    await stopProcess(service);

    const smallPort = await freePort();
    const small = track(
      await startService([`--max-old-space-size=${SMALL_HEAP_MIB}`, ...SERVICE], env, smallPort),
    );
    results.exportSmallHeap = {
      maxOldSpaceMiB: SMALL_HEAP_MIB,
      ...(await measureExport(`http://127.0.0.1:${smallPort}`, admin, small.pid as number)),
    };
    await stopProcess(small);
    say(`export, ${SMALL_HEAP_MIB} MiB heap: ${JSON.stringify(results.exportSmallHeap)}`);

    const uncachedPort = await freePort();
    const uncached = track(
      await startService(SERVICE, { ...env, PROFILE_CACHE_TTL_SECONDS: '0' }, uncachedPort),
    );
    const meUncached = await cannon(`http://127.0.0.1:${uncachedPort}/api/v1/users/me`, me);
    await stopProcess(uncached);

    const helloPort = await freePort();
    const hello = track(await startHello('bench/hello-world.ts', helloPort));
    const helloWorld = await cannon(`http://127.0.0.1:${helloPort}/`, {});
    await stopProcess(hello);
    const kitPort = await freePort();
    const kit = track(await startHello('bench/kit-hello-world.ts', kitPort));
    const kitHelloWorld = await cannon(`http://127.0.0.1:${kitPort}/`, {});
    await stopProcess(kit);

    results.usersMe = {
      connections: 20,
      seconds: 10,
      helloWorld,
      kitHelloWorld,
      meCached,
      meUncached,
      ratioCachedToHelloWorld: ratio(meCached.reqPerSec, helloWorld.reqPerSec),
      ratioUncachedToHelloWorld: ratio(meUncached.reqPerSec, helloWorld.reqPerSec),
      ratioCachedToKitHelloWorld: ratio(meCached.reqPerSec, kitHelloWorld.reqPerSec),
    };
    say(`GET /users/me: ${JSON.stringify(results.usersMe)}`);
  } finally {
    for (const child of running) await stopProcess(child);
    await jwks.close();
    await ferret.destroy();
  }
  mkdirSync(`${root}bench/results`, { recursive: true });
  const file = `${root}bench/results/${String(results.startedAt).replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(`${root}bench/results/latest.json`, `${JSON.stringify(results, null, 2)}\n`);
  say(`results in ${file}`);
}

await main();
