// The GET /api/v1/users/me benchmark alone, for quick side-by-side ratios while tuning (the full
// suite in run.ts also seeds 100,000 users and streams exports). It seeds a handful of profiles
// into a FerretDB of its own, then measures, one after another in the same run: an Express hello
// world, the kit's hello world, and /users/me with the profile cache on and off.
//   node bench/users-me.ts            (local env loaded; BENCH_SECONDS, default 5, per target)
// Nothing is written to bench/results: the numbers are only comparable within one run.
import { MongoClient } from 'mongodb';
import { migrateUp } from '../src/data/migrate.ts';
import { startJwksServer } from '../src/test/jwks-server.ts';
import { freePort, startOwnFerretDb } from '../src/test/own-servers.ts';
import { cannon, ratio, SERVICE, startHello, startService, stopProcess } from './processes.ts';
import { seedUsers } from './seed-users.ts';

const timing = { warmup: 2, seconds: Number(process.env.BENCH_SECONDS ?? 5) };
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
  const measureService = async (overrides: Record<string, string>) => {
    const port = await freePort();
    const child = await startService([...extra, ...SERVICE], { ...env, ...overrides }, port);
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
  const helloWorld = await measureHello('bench/hello-world.ts');
  say(`hello world: ${JSON.stringify(helloWorld)}`);
  const kitHelloWorld = await measureHello('bench/kit-hello-world.ts');
  say(`kit hello world: ${JSON.stringify(kitHelloWorld)}`);
  const meCached = await measureService({});
  say(`/users/me, cache on: ${JSON.stringify(meCached)}`);
  const meUncached = await measureService({ PROFILE_CACHE_TTL_SECONDS: '0' });
  say(`/users/me, cache off: ${JSON.stringify(meUncached)}`);
  say(
    JSON.stringify({
      ratioCachedToHelloWorld: ratio(meCached.reqPerSec, helloWorld.reqPerSec),
      ratioUncachedToHelloWorld: ratio(meUncached.reqPerSec, helloWorld.reqPerSec),
      ratioCachedToKitHelloWorld: ratio(meCached.reqPerSec, kitHelloWorld.reqPerSec),
      ratioKitToHelloWorld: ratio(kitHelloWorld.reqPerSec, helloWorld.reqPerSec),
    }),
  );
} finally {
  await jwks.close();
  await ferret.destroy();
}
