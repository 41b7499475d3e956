// The GET /api/v1/users/me benchmark alone, for quick side-by-side ratios while tuning (the full
// suite in run.ts also seeds 100,000 users and streams exports). It seeds a handful of profiles
// into a FerretDB of its own, then measures, one after another in the same run: an Express hello
// world, the kit's hello world, and /users/me with the profile cache on and off.
//   node bench/users-me.ts            (local env loaded; BENCH_SECONDS, default 5, per target)
// BENCH_BASELINE=<dir> also measures the service in <dir> (another checkout of services/profile,
// placed under the repository so it resolves the same node_modules), alternating with this one
// over BENCH_ROUNDS rounds (default 2), so before and after share the run's conditions.
// Nothing is written to bench/results: the numbers are only comparable within one run.
import { MongoClient } from 'mongodb';
import { migrateUp } from '../src/data/migrate.ts';
import { startJwksServer } from '../src/test/jwks-server.ts';
import { freePort, startOwnFerretDb } from '../src/test/own-servers.ts';
import {
  cannon,
  ratio,
  root,
  round,
  SERVICE,
  startHello,
  startService,
  stopProcess,
} from './processes.ts';
import { seedUsers } from './seed-users.ts';

const timing = { warmup: 2, seconds: Number(process.env.BENCH_SECONDS ?? 5) };
const rounds = Number(process.env.BENCH_ROUNDS ?? (process.env.BENCH_BASELINE ? 2 : 1));
const baseline = process.env.BENCH_BASELINE;
const say = (message: string) => process.stdout.write(`bench: ${message}\n`);

const ferret = await startOwnFerretDb();
const jwks = await startJwksServer();
try {
  const client = new MongoClient(ferret.uri);
  await migrateUp(client.db('bench'));
  const ids = await seedUsers(client.db('bench'), 100);
  await client.close();
  const env = {
    MONGODB_URI: ferret.uri,
    MONGODB_DB: 'bench',
    REDIS_KEY_PREFIX: `bench:${Date.now()}:`,
    AUTH_JWKS_URL: jwks.url,
    EVENTS_ENABLED: 'false',
    LOG_LEVEL: 'warn',
  };
  const me = {
    authorization: `Bearer ${await jwks.sign({ sub: ids[1] as string, expiresIn: 3600 })}`,
  };
  const extra = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const measureService = async (overrides: Record<string, string>, cwd = root) => {
    const port = await freePort();
    const child = await startService([...extra, ...SERVICE], { ...env, ...overrides }, port, cwd);
    try {
      return await cannon(`http://127.0.0.1:${port}/api/v1/users/me`, me, timing);
    } finally {
      await stopProcess(child);
    }
  };
  const measureHello = async (script: string) => {
    const port = await freePort();
    const child = await startHello(script, port);
    try {
      return await cannon(`http://127.0.0.1:${port}/`, {}, timing);
    } finally {
      await stopProcess(child);
    }
  };

  const samples: Record<string, number[]> = {};
  const record = (name: string, result: Awaited<ReturnType<typeof cannon>>) => {
    (samples[name] ??= []).push(result.reqPerSec);
    say(`${name}: ${JSON.stringify(result)}`);
  };
  for (let i = 0; i < rounds; i += 1) {
    record('helloWorld', await measureHello('bench/hello-world.ts'));
    record('kitHelloWorld', await measureHello('bench/kit-hello-world.ts'));
    // Alternating which goes first, so neither always follows the hello worlds.
    if (baseline && i % 2 === 0) record('meCachedBaseline', await measureService({}, baseline));
    record('meCached', await measureService({}));
    if (baseline && i % 2 === 1) record('meCachedBaseline', await measureService({}, baseline));
  }
  record('meUncached', await measureService({ PROFILE_CACHE_TTL_SECONDS: '0' }));
  const mean = (name: string) => {
    const values = samples[name] ?? [];
    return values.reduce((a, b) => a + b, 0) / values.length;
  };
  const hello = mean('helloWorld');
  const summary: Record<string, number> = {};
  for (const name of Object.keys(samples)) {
    summary[`${name}ReqPerSec`] = round(mean(name));
    if (name !== 'helloWorld') summary[`${name}ToHelloWorld`] = ratio(mean(name), hello);
  }
  summary.meCachedToKitHelloWorld = ratio(mean('meCached'), mean('kitHelloWorld'));
  say(JSON.stringify(summary));
} finally {
  await jwks.close();
  await ferret.destroy();
}
