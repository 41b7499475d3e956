// The web app's real Vite dev server, alone (as on :3000) and behind the real gateway (as on
// :8000): it serves the app, never the repository's secrets, and the API namespaces it proxies
// to the gateway come back as the gateway's own 404 instead of bouncing between the two.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createGateway } from '../gateway/create-gateway.ts';
import type { LogFields } from '../gateway/logger.ts';
import { startServer, type RunningServer } from '../gateway/test-servers.ts';
import { uniqueSuffix } from '../smoke/env.ts';
import { freePort, root } from '../web-delivery/built-web.ts';
import { startDevServer, type RunningDevServer } from './dev-server.ts';

const suffix = uniqueSuffix();
const canary = `canary-${suffix}`;
const web = join(root, 'web');
// Stand-ins for `.local/env`, `.local/data/*.secret` and secrets inside the app's own folder,
// planted so the test never depends on what this checkout happens to hold.
const planted = [
  join(root, `.local/fs-probe-${suffix}/env`),
  join(root, `.local/fs-probe-${suffix}/data/postgres.secret`),
  join(web, `.env.fs-probe-${suffix}`),
  join(web, `src/fs-probe-${suffix}.secret`),
];
// The real ones, those this checkout has (a missing file gets the app's page, as any unknown path).
const real = ['env', 'data/postgres.secret', 'data/redis.secret', 'data/token-kek.secret']
  .map((file) => join(root, '.local', file))
  .filter((file) => existsSync(file));
// Outside the app, not secret, still not the dev server's to serve.
const outsideApp = [join(root, 'package.json'), join(root, 'services/auth/src/config.ts')];

/** Every way Vite has been asked for a file's bytes (plain, raw, url, the `?raw??` bypass). */
function probesFor(file: string): string[] {
  const queries = ['', '?raw', '?import&raw', '?raw??', '?url', '?import'];
  const paths = [`/@fs${file}`];
  if (!relative(web, file).startsWith('..')) paths.push(`/${relative(web, file)}`);
  return paths.flatMap((path) => queries.map((query) => `${path}${query}`));
}

describe('the web dev server, alone and behind the gateway', () => {
  let devServer: RunningDevServer;
  let gateway: RunningServer;
  const logged: { path: unknown; status: unknown }[] = [];
  const origins = () => ({ 'dev server': devServer.url, gateway: gateway.url });

  beforeAll(async () => {
    for (const file of planted) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `DATABASE_URL=postgres://ums:${canary}@127.0.0.1:1/ums\n`);
    }
    const gatewayPort = await freePort();
    devServer = await startDevServer(gatewayPort);
    const record = (_message: string, fields: LogFields = {}) =>
      logged.push({ path: fields['path'], status: fields['status'] });
    const app = createGateway({
      upstreams: { web: devServer.url },
      logger: { info: record, warn: () => undefined, error: () => undefined },
    });
    gateway = await startServer(app, gatewayPort);
  }, 90_000);

  afterAll(async () => {
    await gateway?.close();
    await devServer?.stop();
    rmSync(join(root, `.local/fs-probe-${suffix}`), { recursive: true, force: true });
    for (const file of planted) rmSync(file, { force: true });
  });

  test('when secrets are asked for in every known way, then 403 or 404 and none of their bytes', async () => {
    const secrets = real
      .map((file) => readFileSync(file, 'utf8').trim().split('\n')[0] ?? '')
      .filter((line) => line.length >= 8);
    const leaks: string[] = [];
    for (const [name, origin] of Object.entries(origins())) {
      for (const probe of [...planted, ...real, ...outsideApp].flatMap(probesFor)) {
        const response = await fetch(`${origin}${probe}`);
        const body = await response.text();
        const leaked = body.includes(canary) || secrets.some((line) => body.includes(line));
        if (![403, 404].includes(response.status) || leaked) {
          leaks.push(`${name} ${probe}: ${response.status}${leaked ? ' with secret bytes' : ''}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });

  test("when the app's own page, modules, styles and Vite's client are asked for, then they load", async () => {
    for (const origin of Object.values(origins())) {
      const page = await fetch(`${origin}/settings`);
      expect([page.status, await page.text()]).toEqual([
        200,
        expect.stringContaining('/src/main.tsx'),
      ]);
      for (const path of ['/src/main.tsx', '/src/styles.css', '/@vite/client']) {
        const response = await fetch(`${origin}${path}`);
        expect([path, response.status, response.headers.get('content-type')]).toEqual([
          path,
          200,
          expect.stringMatching(/javascript/),
        ]);
        await response.body?.cancel();
      }
    }
  });

  test('when an API path no route serves is asked of the dev server, then the gateway answers 404 problem+json in one pass', async () => {
    for (const path of ['/api/v1/usersX', '/api', '/api/', '/api-docs/x']) {
      logged.length = 0;
      const response = await fetch(`${devServer.url}${path}`);
      expect([path, response.status, response.headers.get('content-type')]).toEqual([
        path,
        404,
        expect.stringMatching(/^application\/problem\+json/),
      ]);
      expect((await response.json()) as object).toMatchObject({ code: 'route.not_found' });
      // The gateway saw the request once: it did not hand it back to the dev server.
      expect(logged).toEqual([{ path, status: 404 }]);
    }
  });

  test('when a path merely starting with the letters of /api is asked, then the dev server serves the app', async () => {
    logged.length = 0;
    for (const origin of Object.values(origins())) {
      const response = await fetch(`${origin}/apix`);
      expect([response.status, response.headers.get('content-type')]).toEqual([
        200,
        expect.stringMatching(/^text\/html/),
      ]);
      await response.body?.cancel();
    }
    expect(logged).toEqual([{ path: '/apix', status: 200 }]);
  });
});
