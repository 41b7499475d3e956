import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { buildCrd } from '@ums/operator/src/api/crd.ts';
import * as api from '@ums/operator/src/api/group.ts';
import { clusterRules } from '@ums/operator/src/install/rbac.ts';
import {
  clusterRuleGroups,
  dashboards,
  instanceRuleGroups,
} from '@ums/operator/src/monitoring/index.ts';
import { buildEnvironment, distDir, renderEnvironment } from './app.ts';
import { childApps } from './constructs/argocd.ts';
import { InvalidInstanceSpecError, UserManagementInstance } from './constructs/instance.ts';
import { OperatorCrd, OperatorInstall } from './constructs/operator-install.ts';
import { environment, environments } from './environments.ts';
import { syncWave, syncWaveAnnotation } from './sync-waves.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rendered manifests are untyped JSON the assertions walk by path
type Json = any;
interface Obj {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  spec: Json;
  rules?: unknown[];
  data?: Record<string, string>;
}

const rendered = new Map<string, Obj[]>();
const synth = (env: string, file: string): Obj[] => {
  const key = `${env}/${file}`;
  if (!rendered.has(key)) {
    const chart = buildEnvironment(environment(env)).get(file);
    if (!chart) throw new Error(`no chart renders ${file}`);
    rendered.set(key, Testing.synth(chart) as Obj[]);
  }
  return rendered.get(key) ?? [];
};
const find = (objs: Obj[], kind: string, name?: string): Obj => {
  const obj = objs.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!obj) throw new Error(`no ${kind} ${name ?? ''}`);
  return obj;
};

describe('rendered files', () => {
  test.each(environments.map((e) => e.name))(
    'cdk8s/dist/%s is what the app renders (run `npm run cdk8s:synth`)',
    (name) => {
      const files = renderEnvironment(environment(name));
      const dir = join(distDir, name);
      expect(readdirSync(dir).sort()).toEqual([...files.keys()].sort());
      for (const [file, text] of files) {
        expect({ file, text: readFileSync(join(dir, file), 'utf8') }).toEqual({ file, text });
      }
    },
  );
});

describe('operator install', () => {
  test('the CRD is the one the operator generates, applied server-side in the first wave', () => {
    const [crd] = synth('prod', 'crds.yaml');
    expect(crd?.spec).toEqual(buildCrd().spec);
    expect(crd?.metadata.annotations?.[syncWaveAnnotation]).toBe(String(syncWave.crds));
  });

  test('RBAC is the operator generator’s, and the namespace comes first', () => {
    const objs = synth('prod', 'operator.yaml');
    expect(objs[0]?.kind).toBe('Namespace');
    const role = find(objs, 'ClusterRole');
    expect(role.rules).toEqual(clusterRules.map(({ why: _why, ...rule }) => rule));
    expect(
      objs.every((o) => o.metadata.annotations?.[syncWaveAnnotation] === String(syncWave.operator)),
    ).toBe(true);
  });

  test('image, replicas and pull policy come from the props', () => {
    const chart = new Chart(Testing.app(), 'test');
    new OperatorInstall(chart, 'op', {
      image: 'registry.example/op:9.9.9',
      replicas: 3,
      imagePullPolicy: 'Always',
    });
    const deployment = find(Testing.synth(chart) as Obj[], 'Deployment', api.operatorName);
    const [container] = deployment.spec.template.spec.containers;
    expect([deployment.spec.replicas, container.image, container.imagePullPolicy]).toEqual([
      3,
      'registry.example/op:9.9.9',
      'Always',
    ]);
    // What the generator hardened stays.
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
  });

  test('exactly one CRD file is expected', () => {
    expect(() => new OperatorCrd(new Chart(Testing.app(), 'c'), 'crd')).not.toThrow();
  });
});

describe('instances', () => {
  test('a spec the operator would refuse fails the synth, naming each field', () => {
    const bad = () =>
      new UserManagementInstance(new Chart(Testing.app(), 'test'), 'bad', {
        name: 'x',
        namespace: 'x',
        spec: {
          version: '1.0.0',
          components: { auth: { replicas: -1 } },
          imagePullPolicy: 'Sometimes' as 'Always',
        },
      });
    expect(bad).toThrow(InvalidInstanceSpecError);
    expect(bad).toThrow(
      /spec\.imagePullPolicy: Invalid option.*spec\.components\.auth\.replicas: Too small/s,
    );
  });

  test('each namespace enforces the restricted Pod Security level', () => {
    for (const env of environments) {
      const ns = find(synth(env.name, 'instance.yaml'), 'Namespace');
      expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    }
  });

  const components = (env: string) => find(synth(env, 'instance.yaml'), api.kind).spec.components;

  test('replicas follow the seed: 1 in dev, 2 in staging, 3 or more in production', () => {
    for (const c of ['auth', 'profile', 'web']) {
      expect(components('dev')[c].replicas).toBe(1);
      expect(components('staging')[c].replicas).toBe(2);
      expect(components('prod')[c].autoscaling).toMatchObject({ enabled: true, minReplicas: 3 });
    }
  });

  test('staging and production get the seed’s requests and limits', () => {
    for (const env of ['staging', 'prod']) {
      expect(components(env).web.resources).toEqual({
        requests: { cpu: '100m', memory: '128Mi' },
        limits: { cpu: '200m', memory: '256Mi' },
      });
      expect(components(env).auth.resources).toEqual({
        requests: { cpu: '250m', memory: '256Mi' },
        limits: { cpu: '500m', memory: '512Mi' },
      });
    }
  });

  test('dev is the local instance (operator/examples/dev.yaml): managed databases and demo users', () => {
    const dev = find(synth('dev', 'instance.yaml'), api.kind);
    expect(Object.keys(dev.spec.databases.postgres)).toEqual(['managed']);
    expect(dev.spec.security.demoUsers).toBe(true);
    const prod = find(synth('prod', 'instance.yaml'), api.kind);
    expect(Object.keys(prod.spec.databases.postgres)).toEqual(['external']);
    expect(prod.spec.security.demoUsers).toBeUndefined();
  });
});

describe('monitoring', () => {
  const objs = (env: string) => synth(env, 'monitoring.yaml');

  test('the instance’s PrometheusRule is the one source’s instance groups, scoped to that instance', () => {
    for (const env of environments) {
      const { name, namespace } = env.instance;
      const rule = find(objs(env.name), 'PrometheusRule', `${name}-alerts`);
      expect(rule.metadata.namespace).toBe(namespace);
      expect(rule.spec.groups).toEqual(
        instanceRuleGroups({ matchers: `namespace="${namespace}",ums_instance="${name}"` }),
      );
      for (const group of rule.spec.groups) {
        for (const r of group.rules) {
          expect(r.expr).toMatch(
            new RegExp(
              `(namespace|instance_namespace)="${namespace}", (ums_instance|instance_name)="${name}"`,
            ),
          );
        }
      }
    }
  });

  test('the operator’s and the nodes’ rules are rendered once, next to the operator', () => {
    const rules = objs('prod').filter((o) => o.kind === 'PrometheusRule');
    expect(rules.map((r) => [r.metadata.namespace, r.metadata.name])).toEqual([
      ['user-management', 'ums-alerts'],
      [api.operatorNamespace, `${api.operatorName}-alerts`],
    ]);
    expect(rules[1]?.spec.groups).toEqual(clusterRuleGroups());
  });

  test('the ServiceMonitor relabels the instance label into ums_instance and names jobs by component', () => {
    const monitor = find(objs('prod'), 'ServiceMonitor');
    expect(monitor.spec.jobLabel).toBe(api.labels.component);
    expect(monitor.spec.endpoints[0].relabelings).toEqual([
      {
        sourceLabels: ['__meta_kubernetes_service_label_app_kubernetes_io_instance'],
        targetLabel: 'ums_instance',
      },
    ]);
  });

  test('every dashboard is a ConfigMap for the Grafana sidecar holding the generated JSON', () => {
    const dev = environment('dev').instance;
    const maps = objs('dev').filter((o) => o.kind === 'ConfigMap');
    expect(maps.map((m) => [m.metadata.namespace, m.metadata.name])).toEqual(
      dashboards().map((d) => [dev.namespace, `${dev.name}-dashboard-${d.uid}`]),
    );
    for (const [i, d] of dashboards().entries()) {
      const map = maps[i];
      expect(map?.metadata.labels?.grafana_dashboard).toBe('1');
      expect(JSON.parse(map?.data?.[d.fileName] ?? '{}')).toEqual(d.json);
    }
  });
});

describe('Argo CD', () => {
  test('child Applications: one per file, waves in order CRD, operator, instance, monitoring', () => {
    const apps = synth('prod', 'apps.yaml');
    const waves = apps.map((a) => Number(a.metadata.annotations?.[syncWaveAnnotation]));
    expect(waves).toEqual([...waves].sort((a, b) => a - b));
    expect(new Set(waves).size).toBe(apps.length);
    expect(apps.map((a) => a.spec.source.directory.include)).toEqual(childApps.map((c) => c.file));
    expect(apps.map((a) => a.spec.syncPolicy.automated)).toEqual(
      apps.map(() => ({ prune: true, selfHeal: true })),
    );
  });

  test('staging and production are pinned to a release tag, dev follows main, never HEAD', () => {
    const revisions = environments.map((e) => [
      e.name,
      ...synth(e.name, 'apps.yaml').map((a) => a.spec.source.targetRevision),
      find(synth(e.name, 'argocd.yaml'), 'Application').spec.source.targetRevision,
    ]);
    expect(revisions).toEqual([
      ['dev', 'main', 'main', 'main', 'main', 'main'],
      ['staging', 'v0.1.0', 'v0.1.0', 'v0.1.0', 'v0.1.0', 'v0.1.0'],
      ['prod', 'v0.1.0', 'v0.1.0', 'v0.1.0', 'v0.1.0', 'v0.1.0'],
    ]);
  });

  test('the project allows only this repository, three namespaces and the kinds shipped', () => {
    const project = find(synth('prod', 'argocd.yaml'), 'AppProject');
    expect(project.spec.sourceRepos).toEqual([environment('prod').source.repoURL]);
    expect(project.spec.destinations.map((d: { namespace: string }) => d.namespace)).toEqual([
      'argocd',
      api.operatorNamespace,
      'user-management',
    ]);
    const allowed = new Set(
      [...project.spec.clusterResourceWhitelist, ...project.spec.namespaceResourceWhitelist].map(
        (k: { group: string; kind: string }) => `${k.group}/${k.kind}`,
      ),
    );
    for (const file of childApps.map((c) => c.file)) {
      for (const obj of synth('prod', file)) {
        const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
        expect(allowed).toContain(`${group}/${obj.kind}`);
      }
    }
  });

  test('argocd-cm carries both health scripts', () => {
    const cm = find(synth('dev', 'argocd-cm.yaml'), 'ConfigMap');
    expect(Object.keys(cm.data ?? {}).sort()).toEqual([
      'resource.customizations.health.argoproj.io_Application',
      `resource.customizations.health.${api.group}_${api.kind}`,
    ]);
  });
});
