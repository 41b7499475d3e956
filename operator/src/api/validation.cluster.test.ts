// The CRD as the API server enforces it: defaults filled in, bad specs refused with messages a
// person can act on. No operator runs here; this is the schema alone.
import { readFile } from 'node:fs/promises';
import { jest } from '@jest/globals';
import { parse } from 'yaml';
import { repoRoot } from '../install/render.ts';
import {
  createInstance,
  createNamespace,
  getInstance,
  installOperatorManifests,
  kubectl,
  patchInstanceSpec,
} from '../test-support/cluster.ts';
import { instanceSpecSchema } from './instance-schema.ts';

jest.setTimeout(30_000);

let namespace: string;

beforeAll(async () => {
  await installOperatorManifests();
  namespace = await createNamespace('umi-validation');
});

async function refusal(name: string, spec: Record<string, unknown>): Promise<string> {
  try {
    await createInstance(namespace, name, spec);
  } catch (err) {
    const { code, body } = err as { code?: number; body?: string };
    expect(code).toBe(422);
    return (JSON.parse(body ?? '{}') as { message?: string }).message ?? '';
  }
  throw new Error(`the API server accepted ${JSON.stringify(spec)}`);
}

const cases: [string, Record<string, unknown>, string][] = [
  [
    'a version that is not semantic',
    { version: 'latest' },
    'spec.version: Invalid value: "latest": must be a semantic version such as 1.4.0',
  ],
  [
    'minReplicas above maxReplicas',
    { version: '1.0.0', components: { auth: { autoscaling: { minReplicas: 5, maxReplicas: 3 } } } },
    'spec.components.auth.autoscaling.minReplicas: Invalid value: minReplicas must be less than or equal to maxReplicas',
  ],
  [
    'a database both managed and external',
    {
      version: '1.0.0',
      databases: {
        postgres: {
          managed: {},
          external: { host: 'db.example.com', credentialsSecret: { name: 'x' } },
        },
      },
    },
    'spec.databases.postgres: Invalid value: set exactly one of managed or external',
  ],
  [
    'a database neither managed nor external',
    { version: '1.0.0', databases: { redis: {} } },
    'spec.databases.redis: Invalid value: set exactly one of managed or external',
  ],
  [
    'an ingress host that is not a host name',
    { version: '1.0.0', ingress: { enabled: true, host: 'https://Users.Example.com/' } },
    'must be a lower-case DNS host name such as users.example.com (no scheme, port or path)',
  ],
  [
    'an enabled ingress without a host',
    { version: '1.0.0', ingress: { enabled: true } },
    'spec.ingress.host: Required value: host is required when ingress is enabled',
  ],
  [
    'requests above limits',
    {
      version: '1.0.0',
      components: { web: { resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } } },
    },
    'spec.components.web.resources.requests.cpu: Invalid value: requests.cpu (2) must not exceed limits.cpu (1)',
  ],
  [
    'a memory value that is not a quantity',
    { version: '1.0.0', components: { web: { resources: { limits: { memory: 'lots' } } } } },
    'must be a Kubernetes quantity such as 256Mi',
  ],
  [
    'an access token outliving the refresh token',
    { version: '1.0.0', security: { accessTokenTTL: '1h', refreshTokenTTL: '1h' } },
    'spec.security.refreshTokenTTL: Invalid value: refreshTokenTTL must be longer than accessTokenTTL',
  ],
  [
    'a minimum password length under 12',
    { version: '1.0.0', security: { password: { minLength: 8 } } },
    'spec.security.password.minLength: Invalid value: 8: spec.security.password.minLength in body should be greater than or equal to 12',
  ],
  [
    'a plain-http OIDC issuer',
    {
      version: '1.0.0',
      oidcProviders: [
        {
          name: 'google',
          issuerURL: 'http://accounts.google.com',
          clientID: 'x',
          clientSecret: { name: 'g' },
        },
      ],
    },
    'must be an https URL such as https://accounts.google.com',
  ],
];

test.each(cases)(
  'when a spec has %s, then the API server refuses it with a clear message',
  async (_what, spec, message) => {
    expect(await refusal(`bad-${Math.random().toString(36).slice(2, 8)}`, spec)).toContain(message);
  },
);

test('when an instance name is too long for its children, then the API server refuses it', async () => {
  expect(await refusal('a'.repeat(41), { version: '1.0.0' })).toContain('at most 40 characters');
});

test('when only the version is given, then the API server fills in the same defaults the operator parses with', async () => {
  await createInstance(namespace, 'minimal', { version: '1.0.0' });
  const stored = await getInstance(namespace, 'minimal');
  expect(stored.spec).toEqual(instanceSpecSchema.parse({ version: '1.0.0' }));
  expect(stored.spec.components.web.resources.limits).toEqual({ cpu: '200m', memory: '256Mi' });
  expect(stored.spec.databases.mongodb.managed?.storage.size).toBe('20Gi');
});

test('when the version goes backwards or a volume size changes, then the update is refused', async () => {
  await createInstance(namespace, 'upgrade', { version: '1.2.0' });
  await expect(patchInstanceSpec(namespace, 'upgrade', { version: '1.1.9' })).rejects.toMatchObject(
    {
      code: 422,
      body: expect.stringContaining('cannot go back from 1.2.0 to 1.1.9'),
    },
  );
  await expect(
    patchInstanceSpec(namespace, 'upgrade', {
      databases: { postgres: { managed: { storage: { size: '20Gi' } } } },
    }),
  ).rejects.toMatchObject({ body: expect.stringContaining('cannot be changed after creation') });
  await expect(
    patchInstanceSpec(namespace, 'upgrade', { version: '1.3.0' }),
  ).resolves.toBeDefined();
});

test('when a person asks kubectl explain, then every field has its description', async () => {
  // Discovery publishes a new CRD's resource a moment after it is Established: ask until it does.
  let text: string | undefined;
  for (let attempt = 0; text === undefined; attempt++) {
    try {
      text = await kubectl('explain', 'umi.spec.components.auth.autoscaling');
    } catch (error) {
      if (attempt >= 40 || !String(error).includes("doesn't have a resource type")) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  expect(text).toContain('Horizontal autoscaling on CPU and optionally memory utilisation.');
  expect(text).toContain('Cooldown: how long load must stay low before scaling down.');
});

test.each(['dev', 'production'])(
  'when the %s example is applied, then the API server accepts it',
  async (example) => {
    const text = await readFile(`${repoRoot}operator/examples/${example}.yaml`, 'utf8');
    const { metadata, spec } = parse(text) as {
      metadata: { name: string };
      spec: Record<string, unknown>;
    };
    await createInstance(namespace, `example-${metadata.name}`, spec);
    const stored = await getInstance(namespace, `example-${metadata.name}`);
    if (example === 'production') {
      expect(stored.spec.components.auth.autoscaling).toMatchObject({
        enabled: true,
        minReplicas: 3,
        maxReplicas: 15,
      });
      expect(stored.spec.security.mfa.requiredForAdmins).toBe(true);
      expect(stored.spec.databases.postgres.managed).toBeUndefined();
    }
  },
);
