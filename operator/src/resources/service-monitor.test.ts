import * as api from '../api/group.ts';
import { instanceRef } from '../test-support/instance.ts';
import { buildAppService } from './service.ts';
import { buildServiceMonitor, monitoredComponents, serviceMetaLabel } from './service-monitor.ts';

const ref = instanceRef({ monitoring: { serviceMonitor: true } });

test('when ServiceMonitors are built, then there is one for auth and one for profile, none for web (nginx serves no metrics)', () => {
  expect(monitoredComponents).toEqual(['auth', 'profile']);
  expect(monitoredComponents.map((c) => buildServiceMonitor(ref, c).metadata.name)).toEqual([
    'demo-auth',
    'demo-profile',
  ]);
});

test.each(monitoredComponents)(
  'when the %s ServiceMonitor is built, then it selects exactly that Service and scrapes /metrics on its http port',
  (component) => {
    const monitor = buildServiceMonitor(ref, component);
    const service = buildAppService(ref, component);
    const selector = (monitor.spec.selector as { matchLabels: Record<string, string> }).matchLabels;
    // Every label of the selector is on the Service, and it names this component only.
    expect(service.metadata?.labels).toMatchObject(selector);
    expect(selector[api.labels.component]).toBe(component);
    expect(selector[api.labels.instance]).toBe('demo');
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['team-a'] });
    const [endpoint] = monitor.spec.endpoints as Record<string, unknown>[];
    expect(endpoint).toMatchObject({ port: service.spec?.ports?.[0]?.name, path: '/metrics' });
    expect(monitor).toMatchObject({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
    });
  },
);

test('when a ServiceMonitor is built, then it relabels app.kubernetes.io/instance into ums_instance and names the job after the component', () => {
  const monitor = buildServiceMonitor(ref, 'auth');
  const [endpoint] = monitor.spec.endpoints as { relabelings: unknown[] }[];
  expect(serviceMetaLabel(api.labels.instance)).toBe(
    '__meta_kubernetes_service_label_app_kubernetes_io_instance',
  );
  expect(endpoint?.relabelings).toEqual([
    {
      action: 'replace',
      sourceLabels: ['__meta_kubernetes_service_label_app_kubernetes_io_instance'],
      targetLabel: 'ums_instance',
    },
  ]);
  expect(monitor.spec.jobLabel).toBe(api.labels.component);
});

test('when the spec names extra labels, then the ServiceMonitor carries them without losing the operator’s own', () => {
  const labelled = instanceRef({
    monitoring: {
      serviceMonitor: true,
      labels: { release: 'kube-prometheus-stack', [api.labels.managedBy]: 'someone-else' },
    },
  });
  const monitor = buildServiceMonitor(labelled, 'profile');
  expect(monitor.metadata.labels).toMatchObject({
    release: 'kube-prometheus-stack',
    [api.labels.managedBy]: api.operatorName,
    [api.labels.instance]: 'demo',
  });
  expect(monitor.metadata.ownerReferences).toEqual([
    expect.objectContaining({ kind: api.kind, name: 'demo', uid: labelled.uid, controller: true }),
  ]);
});

test('when a ServiceMonitor is built, then it carries no credentials of any kind', () => {
  const text = JSON.stringify(buildServiceMonitor(ref, 'auth'));
  expect(text).not.toMatch(/basicAuth|bearerToken|authorization|oauth2|tlsConfig|secret/i);
});
