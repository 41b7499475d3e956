import {
  ApiextensionsV1Api,
  CustomObjectsApi,
  KubeConfig,
  Watch,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { requireEnv, uniqueSuffix } from './env.ts';

// A throwaway CRD in its own group, so the smoke test never touches the operator's real CRD.
const suffix = uniqueSuffix();
const group = `smoke${suffix}.ums.test`;
const plural = 'widgets';
const crdName = `${plural}.${group}`;

function widgetCrd(): V1CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: crdName },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural, singular: 'widget', kind: 'Widget' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  required: ['size'],
                  properties: { size: { type: 'integer', minimum: 1, maximum: 10 } },
                },
              },
            },
          },
        },
      ],
    },
  };
}

async function waitForEstablished(api: ApiextensionsV1Api): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const crd = await api.readCustomResourceDefinition({ name: crdName });
    if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'))
      return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`CRD ${crdName} was not Established within 30 s`);
}

describe('kube-apiserver smoke test', () => {
  const kc = new KubeConfig();
  kc.loadFromFile(requireEnv('KUBECONFIG'));
  const crds = kc.makeApiClient(ApiextensionsV1Api);
  const objects = kc.makeApiClient(CustomObjectsApi);
  const ref = { group, version: 'v1', namespace: 'default', plural };

  beforeAll(async () => {
    await crds.createCustomResourceDefinition({ body: widgetCrd() });
    await waitForEstablished(crds);
  });

  afterAll(async () => {
    await crds.deleteCustomResourceDefinition({ name: crdName }).catch(() => undefined);
  });

  it('when a custom resource is created, then it can be read back from the API server', async () => {
    await objects.createNamespacedCustomObject({
      ...ref,
      body: {
        apiVersion: `${group}/v1`,
        kind: 'Widget',
        metadata: { name: 'first' },
        spec: { size: 3 },
      },
    });
    const read = (await objects.getNamespacedCustomObject({ ...ref, name: 'first' })) as {
      spec: { size: number };
      metadata: { uid: string };
    };
    expect(read.spec.size).toBe(3);
    expect(read.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when a resource breaks the schema, then the API server refuses it with 422', async () => {
    await expect(
      objects.createNamespacedCustomObject({
        ...ref,
        body: {
          apiVersion: `${group}/v1`,
          kind: 'Widget',
          metadata: { name: 'too-big' },
          spec: { size: 99 },
        },
      }),
    ).rejects.toMatchObject({ code: 422 });
  });

  it('when a resource is created and changed, then a watch sees ADDED and MODIFIED events', async () => {
    const events: string[] = [];
    let abort: AbortController | undefined;
    const seen = new Promise<void>((resolve, reject) => {
      new Watch(kc)
        .watch(
          `/apis/${group}/v1/namespaces/default/${plural}`,
          { fieldSelector: 'metadata.name=watched' },
          (phase, obj: { spec?: { size?: number } }) => {
            events.push(`${phase}:${obj.spec?.size}`);
            if (phase === 'MODIFIED') resolve();
          },
          (err: unknown) => (err ? reject(err) : undefined),
        )
        .then((controller) => {
          abort = controller;
        }, reject);
    });
    // The watch must be open before the first write, or the ADDED event could be missed.
    await new Promise((r) => setTimeout(r, 500));
    await objects.createNamespacedCustomObject({
      ...ref,
      body: {
        apiVersion: `${group}/v1`,
        kind: 'Widget',
        metadata: { name: 'watched' },
        spec: { size: 1 },
      },
    });
    await objects.patchNamespacedCustomObject({
      ...ref,
      name: 'watched',
      body: [{ op: 'replace', path: '/spec/size', value: 2 }],
    });
    await seen;
    abort?.abort();
    expect(events).toEqual(['ADDED:1', 'MODIFIED:2']);
  });
});
