// Argo CD for real: its application controller and repo server (`npm run gitops:up`) against the
// full local cluster, reading a git repository served on loopback by `git daemon`. The repository
// holds cdk8s/dist/dev as this app renders it, with the repository's URL in the Applications.
// Runs after the dev-instance suite (jest.platform.config.js orders by file name).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  condition as conditionOf,
  getJson,
  kubectl,
  waitFor,
  type Instance,
} from '@ums/devstack/src/platform/cluster.ts';
import { argocdNamespace, renderEnvironment } from './app.ts';
import { environment, type Environment } from './environments.ts';

const run = promisify(execFile);
const minutes = (n: number) => n * 60_000;
const port = 59418;
const repoURL = `git://127.0.0.1:${port}/ums.git`;
const dev = environment('dev');
const ns = dev.instance.namespace;
const apps = ['ums-dev-crds', 'ums-dev-operator', 'ums-dev-instance', 'ums-dev-monitoring'];

interface Application {
  metadata: { name: string; creationTimestamp: string };
  status?: {
    health?: { status: string; message?: string };
    sync?: { status: string; revision?: string };
    operationState?: { phase: string };
    resources?: { kind: string; name: string; health?: { status: string; message?: string } }[];
  };
}

const dir = mkdtempSync(join(tmpdir(), 'ums-gitops-'));
const work = join(dir, 'work');
let daemon: ChildProcess | undefined;

const git = async (...args: string[]) => (await run('git', ['-C', work, ...args])).stdout.trim();

/** Renders `env` into the work tree and pushes it as one commit; returns the commit. */
async function commit(env: Environment, message: string): Promise<string> {
  const out = join(work, env.source.path);
  mkdirSync(out, { recursive: true });
  for (const [file, text] of renderEnvironment(env, { source: { ...env.source, repoURL } })) {
    writeFileSync(join(out, file), text);
  }
  await git('add', '-A');
  await git('commit', '-q', '-m', message);
  await git('push', '-q', 'origin', 'main');
  // What a git webhook does: Argo CD looks again now instead of at its next poll (the repo
  // server caches what a branch points to for minutes).
  for (const name of ['ums-dev', ...apps]) {
    await kubectl(
      'annotate',
      '--overwrite',
      'applications.argoproj.io',
      name,
      '-n',
      argocdNamespace,
      'argocd.argoproj.io/refresh=hard',
    ).catch(() => '');
  }
  return git('rev-parse', 'HEAD');
}

const withSpec = (change: (spec: Environment['instance']['spec']) => object): Environment => ({
  ...dev,
  instance: { ...dev.instance, spec: { ...dev.instance.spec, ...change(dev.instance.spec) } },
});

const app = (name: string) =>
  getJson<Application>('applications.argoproj.io', name, '-n', argocdNamespace);
type DevInstance = Instance & { spec: { components: { web: { replicas?: number } } } };
const instance = () => getJson<DevInstance>('umi', dev.instance.name, '-n', ns);

/** The instance app's health once it matches what the instance's own status says. */
async function healthAgreeing(
  revision: string,
  want: string,
): Promise<{ app: Application; umi: DevInstance }> {
  return waitFor(
    `ums-dev-instance at ${revision.slice(0, 7)} to be ${want}`,
    async () => {
      const [a, umi] = await Promise.all([app('ums-dev-instance'), instance()]);
      return a.status?.sync?.revision === revision && a.status.health?.status === want
        ? { app: a, umi }
        : undefined;
    },
    minutes(6),
  );
}
/** What Argo CD's health check (argocd/health) said about the instance itself. */
const instanceHealth = (a: Application) =>
  a.status?.resources?.find((r) => r.kind === 'UserManagementInstance')?.health;

beforeAll(async () => {
  const srv = join(dir, 'srv');
  mkdirSync(srv);
  await run('git', ['init', '-q', '--bare', '-b', 'main', join(srv, 'ums.git')]);
  await run('git', ['clone', '-q', join(srv, 'ums.git'), work]);
  await git('config', 'user.email', 'gitops-test@ums.local');
  await git('config', 'user.name', 'GitOps test');
  daemon = spawn(
    'git',
    [
      'daemon',
      '--reuseaddr',
      `--base-path=${srv}`,
      '--export-all',
      '--listen=127.0.0.1',
      `--port=${port}`,
      srv,
    ],
    { stdio: 'ignore' },
  );
}, minutes(1));

afterAll(async () => {
  // Stop Argo CD from managing the cluster, leaving what it synced (no cascade).
  for (const name of [...apps, 'ums-dev']) {
    await kubectl(
      'patch',
      'applications.argoproj.io',
      name,
      '-n',
      argocdNamespace,
      '--type',
      'merge',
      '-p',
      '{"metadata":{"finalizers":null}}',
    ).catch(() => '');
    await kubectl(
      'delete',
      'applications.argoproj.io',
      name,
      '-n',
      argocdNamespace,
      '--ignore-not-found',
      '--wait=false',
    ).catch(() => '');
  }
  daemon?.kill();
  rmSync(dir, { recursive: true, force: true });
}, minutes(1));

describe('Argo CD syncs the rendered dev environment from git', () => {
  let first = '';

  test(
    'when the root Application is applied, then every child syncs in wave order and the instance becomes Healthy when it is Ready',
    async () => {
      first = await commit(dev, 'dev as rendered');
      await kubectl('apply', '--server-side', '-f', join(work, dev.source.path, 'argocd.yaml'));
      const started = Date.now();
      const { app: synced, umi } = await healthAgreeing(first, 'Healthy');
      const ready = conditionOf(umi, 'Ready');
      expect(ready?.status).toBe('True');
      expect(instanceHealth(synced)).toEqual({
        status: 'Healthy',
        message: `${ready?.reason}: ${ready?.message}`,
      });

      // Monitoring, the last wave, follows once the instance is healthy.
      const children = await waitFor(
        'every child Application synced',
        async () => {
          const all = await Promise.all(apps.map(app));
          return all.every(
            (c) => c.status?.sync?.status === 'Synced' && c.status.sync.revision === first,
          )
            ? all
            : undefined;
        },
        minutes(3),
      );
      for (const child of children) {
        expect([
          child.metadata.name,
          child.status?.sync?.status,
          child.status?.sync?.revision,
        ]).toEqual([child.metadata.name, 'Synced', first]);
      }
      // The root creates each wave's Application once the previous wave is healthy.
      const created = children.map((c) => Date.parse(c.metadata.creationTimestamp));
      expect(created).toEqual([...created].sort((a, b) => a - b));
      // The root's own status settles a moment after its last wave.
      const root = await waitFor(
        'the root to be Synced and Healthy',
        async () => {
          const r = await app('ums-dev');
          return r.status?.health?.status === 'Healthy' && r.status.sync?.status === 'Synced'
            ? r
            : undefined;
        },
        minutes(3),
      );
      expect(root.status?.sync?.revision).toBe(first);
      process.stdout.write(
        `root applied to instance Healthy: ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
    },
    minutes(10),
  );

  test(
    'when a commit changes the instance, then it is synced, and the health follows the rollout',
    async () => {
      const pushed = Date.now();
      const second = await commit(
        withSpec((s) => ({
          components: { ...s.components, web: { ...s.components?.web, replicas: 2 } },
        })),
        'dev: two web replicas',
      );
      const applied = await waitFor(
        'web replicas 2 in the cluster',
        async () =>
          (await instance()).spec.components.web.replicas === 2 ? Date.now() : undefined,
        minutes(3),
      );
      const { umi } = await healthAgreeing(second, 'Healthy');
      expect(umi.status?.observedGeneration).toBe(umi.metadata.generation);
      // Ready tolerates one pod of several still starting; the second web pod follows.
      await waitFor(
        'two ready web pods',
        async () => {
          const web = await getJson<{ status: { readyReplicas?: number } }>(
            'deployment',
            `${dev.instance.name}-web`,
            '-n',
            ns,
          );
          return web.status.readyReplicas === 2 ? true : undefined;
        },
        minutes(3),
      );
      process.stdout.write(`push to applied: ${((applied - pushed) / 1000).toFixed(1)} s\n`);
    },
    minutes(8),
  );

  test(
    'when a commit references a Secret that does not exist, then Argo CD reports Degraded with the operator’s reason, and the fix restores Healthy',
    async () => {
      const broken = await commit(
        withSpec(() => ({
          oidcProviders: [
            {
              name: 'google',
              issuerURL: 'https://accounts.google.com',
              clientID: 'ums-test',
              clientSecret: { name: 'no-such-secret' },
            },
          ],
        })),
        'dev: an OIDC provider whose Secret is missing',
      );
      const { app: degraded, umi } = await healthAgreeing(broken, 'Degraded');
      const condition = conditionOf(umi, 'Degraded');
      expect(condition).toMatchObject({ status: 'True', reason: 'SecretNotFound' });
      expect(instanceHealth(degraded)).toEqual({
        status: 'Degraded',
        message: `${condition?.reason}: ${condition?.message}`,
      });

      const fixed = await commit(dev, 'dev as rendered, again');
      await healthAgreeing(fixed, 'Healthy');
    },
    minutes(10),
  );
});
