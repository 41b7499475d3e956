import { instanceRef } from '../test-support/instance.ts';
import { buildMigrationJob, jobState, migrationJobName } from './migration-job.ts';

test('when a migration Job is built, then auth migrates PostgreSQL first and profile MongoDB after, at the target version', () => {
  const job = buildMigrationJob(instanceRef(), '2.0.0');
  const pod = job.spec?.template.spec;
  expect(pod?.restartPolicy).toBe('Never');
  expect(pod?.initContainers?.map((c) => [c.name, c.image])).toEqual([
    ['auth-migrate', 'ghcr.io/ums-platform/auth:2.0.0'],
  ]);
  expect(pod?.containers.map((c) => [c.name, c.image])).toEqual([
    ['profile-migrate', 'ghcr.io/ums-platform/profile:2.0.0'],
  ]);
  expect(pod?.initContainers?.[0]?.env?.map((e) => e.name)).toContain('DATABASE_URL');
  expect(pod?.containers[0]?.env?.map((e) => e.name)).toContain('MONGODB_URI');
});

test('when the version or the pod template changes, then the Job gets a new name (Jobs are immutable)', () => {
  const ref = instanceRef();
  expect(migrationJobName(ref, '2.0.0')).toMatch(/^demo-migrate-2-0-0-[0-9a-f]{6}$/);
  expect(migrationJobName(ref, '2.0.1')).not.toBe(migrationJobName(ref, '2.0.0'));
  const moreMemory = instanceRef({
    components: { auth: { resources: { limits: { memory: '1Gi' } } } },
  });
  expect(migrationJobName(moreMemory, '2.0.0')).not.toBe(migrationJobName(ref, '2.0.0'));
});

test('when the instance name and version are long, then the Job name still fits a label value', () => {
  const ref = instanceRef({}, 'a'.repeat(40));
  expect(migrationJobName(ref, '10.20.30-rc.1.build.12345').length).toBeLessThanOrEqual(63);
});

test('when a Job reports its outcome, then its state is read from conditions or the succeeded count', () => {
  expect(jobState(undefined)).toBe('absent');
  expect(jobState({ status: {} })).toBe('running');
  expect(jobState({ status: { succeeded: 1 } })).toBe('succeeded');
  expect(jobState({ status: { conditions: [{ type: 'Failed', status: 'True' }] } })).toBe('failed');
});

test('when the instance asks for demo users, then they are seeded after auth migrates, and never otherwise', () => {
  const plain = buildMigrationJob(instanceRef(), '2.0.0').spec?.template.spec;
  expect(plain?.initContainers?.map((c) => c.name)).toEqual(['auth-migrate']);
  const demo = buildMigrationJob(instanceRef({ security: { demoUsers: true } }), '2.0.0').spec
    ?.template.spec;
  expect(demo?.initContainers?.map((c) => [c.name, c.command?.join(' ')])).toEqual([
    ['auth-migrate', 'npm run --silent db:migrate'],
    ['auth-seed-demo-users', 'npm run --silent db:seed'],
  ]);
  const seedEnv = demo?.initContainers?.[1]?.env ?? [];
  // The seed refuses production; only this container says development, once.
  expect(seedEnv.filter((e) => e.name === 'NODE_ENV')).toEqual([
    { name: 'NODE_ENV', value: 'development' },
  ]);
  expect(seedEnv.map((e) => e.name)).toContain('DATABASE_URL');
  expect(demo?.initContainers?.[0]?.env).toContainEqual({ name: 'NODE_ENV', value: 'production' });
});
