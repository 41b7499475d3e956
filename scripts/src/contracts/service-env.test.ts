// The environment the operator gives each service's pods against what the service's config schema
// reads: every name it sets is read, and every name the schema requires is set. The ConfigMap is
// mounted whole into both services, so a key counts as set for the services `configMapEnv`
// (@ums/contracts/env) names, and that audience must be exactly the services that read the key.
import type { V1Container, V1EnvVar } from '@kubernetes/client-node';
import { configMapEnv, type ConfigMapEnvName } from '@ums/contracts/env';
import { serviceNames, type ServiceName } from '@ums/contracts/paths';
import { authConfigSchema } from '@ums/auth/src/config.ts';
import { buildConfigMap } from '@ums/operator/src/resources/config-map.ts';
import { buildDeployment } from '@ums/operator/src/resources/deployment.ts';
import { buildMigrationJob } from '@ums/operator/src/resources/migration-job.ts';
import { externalDatabases, instanceRef } from '@ums/operator/src/test-support/instance.ts';
import { mongoConfigSchema, profileConfigSchema } from '@ums/profile/src/config.ts';
import type { z } from 'zod';

/** A config schema as far as names go: its fields. */
interface ConfigSchema {
  readonly shape: Readonly<Record<string, z.ZodType>>;
}

const schemas: Record<ServiceName, ConfigSchema> = {
  auth: authConfigSchema,
  profile: profileConfigSchema,
};

/** Instances that between them take every branch of the env builders. */
const instances = {
  'managed databases': instanceRef({ security: { demoUsers: true } }),
  'external databases, OIDC and a TLS ingress': instanceRef({
    databases: externalDatabases,
    ingress: { enabled: true, host: 'users.example.com', tls: { secretName: 'users-tls' } },
    oidcProviders: [
      {
        name: 'google-workspace',
        issuerURL: 'https://accounts.google.com',
        clientID: 'id',
        clientSecret: { name: 'oidc' },
      },
    ],
  }),
  'an external Redis without a password': instanceRef({
    databases: { ...externalDatabases, redis: { external: { host: 'cache.example.com' } } },
  }),
};

const readBy = (schema: ConfigSchema) => new Set(Object.keys(schema.shape));

/** What a schema cannot do without: no default, not optional. */
const requiredBy = (schema: ConfigSchema) =>
  Object.entries(schema.shape)
    .filter(([, field]) => !field.safeParse(undefined).success)
    .map(([name]) => name);

/**
 * Variables set from a Secret only to be spliced into another one by Kubernetes' `$(NAME)`
 * expansion (the database password into the connection URL): the service never reads them.
 */
function expansionOnly(env: readonly V1EnvVar[]): Set<string> {
  const values = env.map((e) => e.value ?? '').join('\n');
  return new Set(
    env
      .filter((e) => e.valueFrom?.secretKeyRef && values.includes(`$(${e.name})`))
      .map((e) => e.name),
  );
}

/** The names a container's own `env` gives its program to read. */
function ownNames(container: V1Container): string[] {
  const env = container.env ?? [];
  const spliced = expansionOnly(env);
  return env.map((e) => e.name).filter((name) => !spliced.has(name));
}

/** The names a service's container is given to read: its own and its share of the ConfigMap. */
function givenNames(container: V1Container | undefined, service: ServiceName): string[] {
  if (!container) return [];
  const fromConfigMap = container.envFrom?.length
    ? (Object.keys(configMapEnv) as ConfigMapEnvName[]).filter((key) =>
        (configMapEnv[key] as readonly string[]).includes(service),
      )
    : [];
  return [...fromConfigMap, ...ownNames(container)];
}

test('when a ConfigMap key names its readers, then they are exactly the services whose schema reads it', () => {
  for (const [key, audience] of Object.entries(configMapEnv)) {
    const readers = serviceNames.filter((service) => readBy(schemas[service]).has(key));
    expect({ key, readers }).toEqual({ key, readers: [...audience] });
  }
});

describe.each(Object.entries(instances))('with %s', (_name, instance) => {
  test('when the ConfigMap is built, then it holds exactly the contract keys', () => {
    expect(Object.keys(buildConfigMap(instance).data ?? {}).sort()).toEqual(
      Object.keys(configMapEnv).sort(),
    );
  });

  describe.each(serviceNames)('the %s Deployment', (service) => {
    const container = buildDeployment(instance, service, '1.0.0').spec?.template.spec
      ?.containers[0];
    const set = givenNames(container, service);

    test('when its environment is read, then the ConfigMap it mounts is the instance one', () => {
      expect(container?.envFrom).toEqual([
        { configMapRef: { name: buildConfigMap(instance).metadata?.name } },
      ]);
    });

    test('when it is given a name, then its config schema reads that name', () => {
      const read = readBy(schemas[service]);
      expect(set.filter((name) => !read.has(name))).toEqual([]);
    });

    test('when its config schema requires a name, then the operator sets it', () => {
      expect(requiredBy(schemas[service]).filter((name) => !set.includes(name))).toEqual([]);
    });
  });

  // auth's database command parses a part of auth's schema (in src/cli/db.ts, not exported), so
  // its steps are held to the whole schema; profile's parses `mongoConfigSchema`.
  describe('the migration Job', () => {
    const pod = buildMigrationJob(instance, '1.0.0').spec?.template.spec;
    const steps = [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])];
    const schemaOf = (step: string) =>
      step.startsWith('profile-') ? mongoConfigSchema : authConfigSchema;

    test('when a step is given a name, then its command reads that name', () => {
      for (const step of steps) {
        const read = readBy(schemaOf(step.name));
        const unread = ownNames(step).filter((name) => !read.has(name));
        expect({ step: step.name, unread }).toEqual({ step: step.name, unread: [] });
      }
    });

    test("when profile's migration runs, then it is given every name its command requires", () => {
      const step = steps.find((s) => s.name === 'profile-migrate');
      expect(step).toBeDefined();
      const names = step ? ownNames(step) : [];
      expect(requiredBy(mongoConfigSchema).filter((name) => !names.includes(name))).toEqual([]);
    });
  });
});
