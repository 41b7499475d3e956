// The platform as a platform team meets it: operator/examples/dev.yaml applied to the full local
// cluster (real kubelet, containerd, images built here, CoreDNS, metrics-server, Traefik) and
// driven the way its users would. The steps build on each other and run in order.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { requireEnv } from '../smoke/env.ts';
import {
  componentSelector,
  condition,
  getJson,
  host,
  kubectl,
  mailedTokenInPod,
  namespace,
  podReady,
  pods,
  run,
  viaIngress,
  waitFor,
  type Instance,
} from './cluster.ts';

const root = new URL('../../../', import.meta.url).pathname;
const example = join(root, 'operator/examples/dev.yaml');
const minutes = (n: number) => n * 60_000;
const instance = () => getJson<Instance>('umi', 'dev', '-n', namespace);
const patch = (spec: unknown) =>
  kubectl(
    'patch',
    'umi',
    'dev',
    '-n',
    namespace,
    '--type',
    'merge',
    '-p',
    JSON.stringify({ spec }),
  );

async function instanceReadyAtGeneration(): Promise<Instance | undefined> {
  const umi = await instance();
  const ready = condition(umi, 'Ready');
  return ready?.status === 'True' && umi.status?.observedGeneration === umi.metadata.generation
    ? umi
    : undefined;
}

const owned =
  'deployments,statefulsets,services,configmaps,secrets,jobs,ingresses,hpa,pdb,networkpolicies';

/** Deletes the instance and waits until the garbage collector has removed what it owned. */
async function deleteInstance(): Promise<void> {
  await kubectl(
    'delete',
    'umi',
    'dev',
    '-n',
    namespace,
    '--ignore-not-found',
    '--cascade=foreground',
    '--wait=true',
    '--timeout=180s',
  );
  await waitFor(
    'the owned objects to be garbage-collected',
    async () => {
      const left = await kubectl(
        'get',
        owned,
        '-n',
        namespace,
        '-l',
        'app.kubernetes.io/instance=dev',
        '-o',
        'name',
      );
      const leftPods = (await pods('app.kubernetes.io/instance=dev')).length;
      return left.trim() === '' && leftPods === 0 ? true : undefined;
    },
    minutes(3),
    1000,
  );
}

beforeAll(async () => {
  // A clean start: an instance left by `platform:up` or an earlier run is removed first.
  await deleteInstance();
  await kubectl('create', 'namespace', namespace).catch(() => '');
}, minutes(7));

describe('the dev example on the local cluster', () => {
  it(
    'when dev.yaml is applied, then it becomes Ready with every pod Ready, and status and printer columns told the truth on the way',
    async () => {
      await kubectl('apply', '-f', example);
      const readyReasons = new Set<string>();
      const progressingReasons = new Set<string>();
      const columns = new Set<string>();
      const umi = await waitFor(
        'the dev instance to become Ready',
        async () => {
          const current = await instance();
          const ready = condition(current, 'Ready');
          if (ready?.reason) readyReasons.add(ready.reason);
          const progressing = condition(current, 'Progressing');
          if (progressing?.reason) progressingReasons.add(progressing.reason);
          columns.add(await kubectl('get', 'umi', 'dev', '-n', namespace));
          return ready?.status === 'True' ? current : undefined;
        },
        minutes(10),
        250,
      );
      // Databases first, then the migration Job, then the Deployments.
      expect([...readyReasons]).toEqual(
        expect.arrayContaining(['DatabasesNotReady', 'AllComponentsReady']),
      );
      expect([...progressingReasons]).toEqual(expect.arrayContaining(['MigrationRunning']));
      // After the migration the Deployments were seen on their way (pods start in seconds).
      expect(progressingReasons.has('RollingOut') || readyReasons.has('ComponentsNotReady')).toBe(
        true,
      );
      expect(condition(umi, 'Progressing')).toMatchObject({
        status: 'False',
        reason: 'RolloutComplete',
      });
      expect(condition(umi, 'Degraded')).toMatchObject({ status: 'False' });
      expect(umi.status?.version).toBe('0.1.0');
      expect(umi.status?.endpoint).toBe(`http://${host}`);
      // The printer columns (READY, VERSION, ENDPOINT) went from empty or False to True 0.1.0.
      const [firstSeen] = [...columns];
      expect(firstSeen).toMatch(/^NAME\s+READY\s+VERSION\s+ENDPOINT\s+AGE\n/);
      expect(firstSeen?.split('\n')[1]).not.toMatch(/True|0\.1\.0/);
      expect(
        (await kubectl('get', 'umi', 'dev', '-n', namespace, '--no-headers'))
          .split(/\s+/)
          .slice(1, 4),
      ).toEqual(['True', '0.1.0', `http://${host}`]);

      const all = await pods();
      // Migration attempts are the Job's (checked below); an early one may fail while a database
      // is still starting, and the Job's backoff runs it again.
      const running = all.filter(
        (p) => p.metadata.labels?.['app.kubernetes.io/component'] !== 'migration',
      );
      expect(running.map((p) => p.metadata.labels?.['app.kubernetes.io/component']).sort()).toEqual(
        ['auth', 'mongodb', 'postgres', 'profile', 'redis', 'web'],
      );
      expect(running.filter((p) => !podReady(p)).map((p) => p.metadata.name)).toEqual([]);
      // The migration Jobs ran to completion in the services' own images.
      const jobs = await getJson<{ items: { status: { succeeded?: number } }[] }>(
        'jobs',
        '-n',
        namespace,
      );
      expect(jobs.items.length).toBeGreaterThan(0);
      expect(jobs.items.every((j) => j.status.succeeded === 1)).toBe(true);
    },
    minutes(12),
  );

  it(
    'when a person uses it through the ingress, then they register, read the mail, sign in, read both services and open the web app',
    async () => {
      const email = `platform-${Date.now()}@example.com`;
      const password = 'correct horse battery staple 9';
      const registered = await viaIngress('POST', '/api/v1/auth/register', {
        body: { email, password, firstName: 'Pat' },
      });
      expect(registered.status).toBe(201);
      const token = await mailedTokenInPod(email);
      expect(
        (await viaIngress('POST', '/api/v1/auth/email/verify', { body: { token } })).status,
      ).toBe(200);
      const login = await viaIngress('POST', '/api/v1/auth/login', { body: { email, password } });
      expect(login.status).toBe(200);
      const accessToken = login.json().accessToken as string;
      const me = await viaIngress('GET', '/api/v1/auth/me', { token: accessToken });
      expect(me.json()).toMatchObject({ email, emailVerified: true, role: 'user' });
      // The profile is made by the profile service from auth's event stream, so it may trail.
      const profile = await waitFor(
        'the profile made from the registration event',
        async () => {
          const reply = await viaIngress('GET', '/api/v1/users/me', { token: accessToken });
          return reply.status === 200 ? reply.json() : undefined;
        },
        30_000,
      );
      expect(profile).toMatchObject({ email });

      const url = requireEnv('UMS_INGRESS_URL');
      const browser: Browser = await chromium.launch({
        executablePath: requireEnv('CHROMIUM_PATH'),
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          `--host-resolver-rules=MAP ${host} 127.0.0.1`,
        ],
      });
      try {
        const page = await browser.newPage();
        await page.goto(`http://${host}:${new URL(url).port}/login`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.getByLabel('Email').fill('admin@usermanagement.local');
        await page.getByLabel('Password').fill('AdminPassword123!');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor({ timeout: 30_000 });
      } finally {
        await browser.close();
      }
    },
    minutes(3),
  );

  it(
    'when auth asks for three replicas, then three pods are Ready; a deleted one is replaced and the instance stays Ready',
    async () => {
      await patch({ components: { auth: { replicas: 3 } } });
      await waitFor(
        'three Ready auth pods',
        async () =>
          (await pods(componentSelector('auth'))).filter(podReady).length === 3 ? true : undefined,
        minutes(4),
      );
      await waitFor(
        'the instance to be Ready at the new generation',
        instanceReadyAtGeneration,
        minutes(2),
      );
      const [victim] = await pods(componentSelector('auth'));
      if (!victim) throw new Error('no auth pod to delete');
      const notReady: string[] = [];
      await kubectl('delete', 'pod', '-n', namespace, victim.metadata.name, '--wait=false');
      await waitFor(
        'a replacement auth pod',
        async () => {
          const ready = condition(await instance(), 'Ready');
          if (ready?.status !== 'True') notReady.push(`${ready?.reason}: ${ready?.message}`);
          const current = (await pods(componentSelector('auth'))).filter(
            (p) => !p.metadata.deletionTimestamp && p.metadata.name !== victim.metadata.name,
          );
          return current.filter(podReady).length === 3 ? true : undefined;
        },
        minutes(3),
        250,
      );
      expect(notReady).toEqual([]);
    },
    minutes(10),
  );

  it(
    'when auth switches to autoscaling, then an HPA is made and reads real CPU from metrics-server',
    async () => {
      await patch({
        components: { auth: { autoscaling: { enabled: true, minReplicas: 1, maxReplicas: 3 } } },
      });
      const hpa = await waitFor(
        'the auth HPA to report current CPU utilisation',
        async () => {
          const h = await getJson<{
            spec: { minReplicas: number; maxReplicas: number };
            status: {
              currentMetrics?: {
                resource?: { name: string; current: { averageUtilization?: number } };
              }[];
            };
          }>('hpa', 'dev-auth', '-n', namespace);
          const cpu = h.status.currentMetrics?.find((m) => m.resource?.name === 'cpu');
          return typeof cpu?.resource?.current.averageUtilization === 'number' ? h : undefined;
        },
        minutes(3),
        2000,
      );
      expect(hpa.spec).toMatchObject({ minReplicas: 1, maxReplicas: 3 });
      expect(
        await kubectl('get', 'hpa', 'dev-auth', '-n', namespace, '--no-headers'),
      ).not.toContain('<unknown>');
      await patch({ components: { auth: { autoscaling: { enabled: false }, replicas: 1 } } });
      await waitFor(
        'the instance to be Ready without the HPA',
        instanceReadyAtGeneration,
        minutes(3),
      );
    },
    minutes(8),
  );

  it(
    'when the version is bumped, then the migration runs first and the Deployments roll with zero failed requests through the ingress',
    async () => {
      const socket = requireEnv('UMS_CONTAINERD_SOCK');
      // The same images under the new version's tag, as a registry would serve a new release.
      for (const image of ['auth', 'profile', 'web']) {
        await run('ctr', [
          '--address',
          socket,
          '-n',
          'k8s.io',
          'images',
          'tag',
          '--force',
          `docker.io/ums/${image}:0.1.0`,
          `docker.io/ums/${image}:0.1.1`,
        ]);
      }
      const signedIn = await viaIngress('POST', '/api/v1/auth/login', {
        body: { email: 'admin@usermanagement.local', password: 'AdminPassword123!' },
      });
      const token = signedIn.json().accessToken as string;
      const failures: string[] = [];
      let requests = 0;
      let stop = false;
      const loop = (async () => {
        const paths = ['/api/v1/auth/me', '/api/v1/users/me', '/login', '/.well-known/jwks.json'];
        // Bounded: at most 20,000 requests or until the rollout is over.
        while (!stop && requests < 20_000) {
          const path = paths[requests % paths.length] ?? '/login';
          requests += 1;
          try {
            const reply = await viaIngress('GET', path, { token });
            if (reply.status !== 200)
              failures.push(`${path}: ${reply.status} ${reply.text.slice(0, 120)}`);
          } catch (error) {
            failures.push(`${path}: ${String(error)}`);
          }
        }
      })();
      try {
        await patch({ version: '0.1.1' });
        const umi = await waitFor(
          'version 0.1.1 rolled out',
          async () => {
            const current = await instance();
            return current.status?.version === '0.1.1' &&
              condition(current, 'Progressing')?.reason === 'RolloutComplete' &&
              condition(current, 'Ready')?.status === 'True'
              ? current
              : undefined;
          },
          minutes(8),
          1000,
        );
        expect(umi.status?.version).toBe('0.1.1');
      } finally {
        stop = true;
        await loop;
      }
      const jobs = await getJson<{
        items: { metadata: { labels?: Record<string, string> }; status: { succeeded?: number } }[];
      }>('jobs', '-n', namespace);
      expect(
        jobs.items.filter(
          (j) => JSON.stringify(j.metadata.labels).includes('0.1.1') && j.status.succeeded === 1,
        ).length,
      ).toBeGreaterThan(0);
      for (const component of ['auth', 'profile', 'web']) {
        const current = (await pods(componentSelector(component))).filter(
          (p) => !p.metadata.deletionTimestamp,
        );
        expect(current.map((p) => p.spec.containers[0]?.image)).toEqual(
          current.map(() => `ums/${component}:0.1.1`),
        );
      }
      console.log(
        `rollout of 0.1.1: ${requests} requests through the ingress, ${failures.length} failed`,
      );
      expect(requests).toBeGreaterThan(100);
      expect(failures).toEqual([]);
    },
    minutes(12),
  );

  it('when the operator runs in the cluster, then it is a pod from its image with its generated RBAC only, and it holds the Lease', async () => {
    const operatorPods = await pods('app.kubernetes.io/name=ums-operator', 'ums-system');
    expect(operatorPods.length).toBeGreaterThan(0);
    for (const pod of operatorPods) {
      expect(pod.spec.serviceAccountName).toBe('ums-operator');
      expect(pod.spec.containers[0]?.image).toBe('ums/operator:0.1.0');
      expect(podReady(pod)).toBe(true);
    }
    const lease = await getJson<{ spec: { holderIdentity?: string } }>(
      'lease',
      'ums-operator-leader',
      '-n',
      'ums-system',
    );
    expect(operatorPods.map((p) => p.metadata.name)).toContain(lease.spec.holderIdentity);
    // Every binding that grants the operator's account something is one of the generated files.
    const generated = ['cluster-role-binding.yaml', 'leader-election-role-binding.yaml'].map((f) =>
      readFileSync(join(root, 'operator/config/rbac', f), 'utf8'),
    );
    const bindings = await getJson<{
      items: {
        kind: string;
        metadata: { name: string };
        subjects?: { kind: string; name: string; namespace?: string }[];
      }[];
    }>('clusterrolebindings,rolebindings', '--all-namespaces');
    const granting = bindings.items.filter((b) =>
      b.subjects?.some(
        (s) =>
          s.kind === 'ServiceAccount' && s.name === 'ums-operator' && s.namespace === 'ums-system',
      ),
    );
    expect(granting.length).toBe(2);
    for (const binding of granting) {
      expect(generated.some((file) => file.includes(`name: ${binding.metadata.name}`))).toBe(true);
    }
  });

  it(
    'when the instance is deleted, then everything it owned goes and the volumes follow their reclaim policy',
    async () => {
      // Redis keeps its volume, the other two delete theirs.
      await patch({ databases: { redis: { managed: { storage: { reclaimPolicy: 'Retain' } } } } });
      await waitFor(
        'the instance to see the new reclaim policy',
        instanceReadyAtGeneration,
        minutes(2),
      );
      const claims = await getJson<{
        items: { metadata: { name: string }; spec: { volumeName: string } }[];
      }>('pvc', '-n', namespace);
      const volumeOf = Object.fromEntries(
        claims.items.map((c) => [c.metadata.name, c.spec.volumeName]),
      );
      expect(Object.keys(volumeOf).sort()).toEqual([
        'data-dev-mongodb-0',
        'data-dev-postgres-0',
        'data-dev-redis-0',
      ]);

      await deleteInstance();
      const remaining = await waitFor(
        'the deleted claims and their volumes to go',
        async () => {
          const names = (await kubectl('get', 'pvc', '-n', namespace, '-o', 'name'))
            .trim()
            .split('\n')
            .filter(Boolean);
          const pvs = (await kubectl('get', 'pv', '-o', 'name')).trim().split('\n').filter(Boolean);
          const gone = ['data-dev-postgres-0', 'data-dev-mongodb-0'].every(
            (c) =>
              !names.includes(`persistentvolumeclaim/${c}`) &&
              !pvs.includes(`persistentvolume/${volumeOf[c]}`),
          );
          return gone ? { names, pvs } : undefined;
        },
        minutes(3),
        1000,
      );
      expect(remaining.names).toEqual(['persistentvolumeclaim/data-dev-redis-0']);
      expect(remaining.pvs).toContain(`persistentvolume/${volumeOf['data-dev-redis-0']}`);
      // The retained claim is the platform team's to delete; do so, so the next run starts clean.
      await kubectl('delete', 'pvc', 'data-dev-redis-0', '-n', namespace, '--wait=true');
    },
    minutes(8),
  );
});
