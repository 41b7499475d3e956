import { containsDesired, needsApply, quantityValue, withAppliedHash } from './drift.ts';
import type { WireObject } from './wire.ts';

const desired = withAppliedHash({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'a', labels: { app: 'x' } },
  spec: {
    replicas: 2,
    template: {
      spec: { containers: [{ name: 'c', resources: { limits: { cpu: '0.5', memory: '1Gi' } } }] },
    },
  },
} as WireObject);

interface Shape {
  metadata: { uid?: string; labels: Record<string, string> };
  spec: {
    replicas: number;
    template: {
      spec: {
        containers: {
          name: string;
          imagePullPolicy?: string;
          resources?: { limits: { cpu: string } };
        }[];
      };
    };
  };
}

function live(patch: (obj: Shape) => void = () => undefined): WireObject {
  const obj = structuredClone(desired) as unknown as Shape;
  obj.metadata.uid = 'server-set';
  const [container] = obj.spec.template.spec.containers;
  if (!container?.resources) throw new Error('fixture has no container');
  container.resources.limits.cpu = '500m';
  container.imagePullPolicy = 'IfNotPresent';
  patch(obj);
  return obj as unknown as WireObject;
}

test('when the live object has everything desired plus server defaults, then no apply is needed', () => {
  expect(needsApply(live(), desired)).toBe(false);
});

test('when someone changed a desired value or removed a label, then an apply is needed', () => {
  expect(
    needsApply(
      live((o) => (o.spec.replicas = 5)),
      desired,
    ),
  ).toBe(true);
  expect(
    needsApply(
      live((o) => delete o.metadata.labels.app),
      desired,
    ),
  ).toBe(true);
  expect(
    needsApply(
      live((o) => o.spec.template.spec.containers.push({ name: 'sidecar' })),
      desired,
    ),
  ).toBe(true);
});

test('when the operator stops setting a field, then the hash differs and an apply is needed', () => {
  const smaller = { ...desired, metadata: { name: 'a' } } as WireObject;
  // A subset check alone would miss it: the live object still contains everything asked for.
  expect(containsDesired(live(), smaller, '')).toBe(true);
  expect(needsApply(live(), withAppliedHash(smaller))).toBe(true);
});

test('when the object does not exist, then an apply is needed', () => {
  expect(needsApply(undefined, desired)).toBe(true);
});

test('when quantities are written differently, then they compare by value', () => {
  expect(quantityValue('500m')).toBe(quantityValue('0.5'));
  expect(quantityValue('1Gi')).toBe(1024 ** 3);
  expect(quantityValue('1G')).toBe(1e9);
  expect(Number.isNaN(quantityValue('lots'))).toBe(true);
});
