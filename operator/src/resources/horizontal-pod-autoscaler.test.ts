import { instanceRef } from '../test-support/instance.ts';
import { buildHorizontalPodAutoscaler } from './horizontal-pod-autoscaler.ts';

test('when autoscaling is on, then the HPA uses the seed table: 3-15 on CPU 65% and memory 80% for auth, 2-10 on CPU 70% for web', () => {
  const ref = instanceRef({
    components: {
      auth: { autoscaling: { enabled: true } },
      web: { autoscaling: { enabled: true } },
    },
  });
  const auth = buildHorizontalPodAutoscaler(ref, 'auth');
  expect(auth?.apiVersion).toBe('autoscaling/v2');
  expect(auth?.spec).toMatchObject({
    minReplicas: 3,
    maxReplicas: 15,
    scaleTargetRef: { kind: 'Deployment', name: 'demo-auth' },
  });
  expect(
    auth?.spec?.metrics?.map((m) => [m.resource?.name, m.resource?.target.averageUtilization]),
  ).toEqual([
    ['cpu', 65],
    ['memory', 80],
  ]);
  expect(auth?.spec?.behavior?.scaleDown?.stabilizationWindowSeconds).toBe(300);
  const web = buildHorizontalPodAutoscaler(ref, 'web');
  expect(web?.spec?.metrics?.map((m) => m.resource?.name)).toEqual(['cpu']);
  expect(web?.spec?.behavior?.scaleUp?.stabilizationWindowSeconds).toBe(120);
});

test('when autoscaling is off, then there is no HPA', () => {
  expect(buildHorizontalPodAutoscaler(instanceRef(), 'profile')).toBeUndefined();
});
