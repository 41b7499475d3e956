import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../install/render.ts';
import {
  alertDefinitions,
  alertProbes,
  alertRuleGroups,
  clusterRuleGroups,
  instanceRuleGroups,
  renderAnnotation,
  runbookAnchor,
  runbookBase,
} from './rules.ts';

const rules = alertRuleGroups().flatMap((g) => g.rules);

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as dashes. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

describe('alert rules', () => {
  test('when the rules are built, then every alert the issue and the seed KPI table ask for is there once', () => {
    const names = rules.map((r) => r.alert);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        'UmsHighLatencyP95',
        'UmsLowThroughput',
        'UmsHighErrorRate',
        'UmsHighCpu',
        'UmsHighMemory',
        'UmsDiskSpaceLow',
        'UmsLowRegistrations',
        'UmsLowLoginSuccessRate',
        'UmsOutboxBacklog',
        'UmsOutboxStale',
        'UmsEventConsumerLag',
        'UmsRefreshTokenReuse',
        'UmsLockoutSpike',
        'UmsDbPoolSaturated',
        'UmsSigningKeyOverdue',
        'UmsOperatorReconcileErrors',
        'UmsOperatorQueueBacklog',
        'UmsInstanceNotReady',
        'UmsTargetDown',
      ]),
    );
  });

  test.each(rules.map((r) => [r.alert, r]))(
    'when %s is read, then it has for, severity, summary, description and a runbook link',
    (_n, r) => {
      expect(r.for).toMatch(/^\d+[smhd]$/);
      expect(['critical', 'warning']).toContain(r.labels.severity);
      expect(r.annotations.summary.length).toBeGreaterThan(10);
      expect(r.annotations.description.length).toBeGreaterThan(r.annotations.summary.length);
      expect(r.annotations.runbook_url).toBe(`${runbookBase}#${runbookAnchor(r.alert)}`);
    },
  );

  test('when docs/runbook.md is read, then every alert’s runbook anchor is one of its headings', async () => {
    const runbook = await readFile(join(repoRoot, 'docs/runbook.md'), 'utf8');
    const anchors = new Set(
      [...runbook.matchAll(/^#{2,3} (.+)$/gm)].map((m) => anchorOf(m[1] ?? '')),
    );
    const missing = rules
      .map((r) => r.annotations.runbook_url.split('#')[1])
      .filter((a) => !anchors.has(a ?? ''));
    expect(missing).toEqual([]);
    expect(`${runbookBase}#x`).toMatch(/\/docs\/runbook\.md#x$/);
  });

  test.each(alertDefinitions.map((d) => [d.alert, d]))(
    'when %s’s promtool cases are listed, then one fires and one stays quiet',
    (_n, d) => {
      expect(d.cases.some((c) => c.alerts.length > 0)).toBe(true);
      expect(d.cases.some((c) => c.alerts.length === 0)).toBe(true);
    },
  );

  test('when the probes are listed, then each is its rule’s expression without the threshold', () => {
    const probes = alertProbes();
    expect(probes.map((p) => p.alert)).toEqual(rules.map((r) => r.alert));
    for (const [i, p] of probes.entries()) {
      const expr = rules[i]?.expr ?? '';
      expect(expr.startsWith(`${p.expr} `)).toBe(true);
      expect(expr.slice(p.expr.length)).toMatch(/^ (>|<|==) /);
    }
  });

  test('when scoped to one instance, then every selector of its series carries the matchers and the cluster group none', () => {
    const matchers = 'namespace="ums-prod", ums_instance="ums"';
    for (const r of instanceRuleGroups({ matchers }).flatMap((g) => g.rules)) {
      const selectors = [...r.expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}/g)];
      expect(selectors.length).toBeGreaterThan(0);
      for (const [, metric, body] of selectors) {
        const scoped =
          metric === 'ums_operator_instance_ready'
            ? body?.includes('instance_namespace="ums-prod", instance_name="ums"')
            : body?.includes(matchers);
        expect({ alert: r.alert, metric, scoped }).toEqual({
          alert: r.alert,
          metric,
          scoped: true,
        });
      }
      // Nothing left unscoped: no bare metric name followed by `[` or `)`.
      expect(r.expr).not.toMatch(/ums_instance!=""/);
    }
    expect(JSON.stringify(clusterRuleGroups({ matchers }))).not.toContain('ums-prod');
    expect(alertRuleGroups({ matchers }).map((g) => g.name)).toEqual([
      'ums-kpi',
      'ums-platform',
      'ums-cluster',
    ]);
  });

  test('when unscoped, then the instance rules select every series carrying ums_instance', () => {
    for (const r of instanceRuleGroups().flatMap((g) => g.rules)) {
      if (r.alert === 'UmsInstanceNotReady') continue;
      expect({ alert: r.alert, scoped: r.expr.includes('ums_instance!=""') }).toEqual({
        alert: r.alert,
        scoped: true,
      });
    }
  });

  test('when a for override is given, then it replaces every for', () => {
    expect(
      new Set(alertRuleGroups({ forOverride: '15s' }).flatMap((g) => g.rules.map((r) => r.for))),
    ).toEqual(new Set(['15s']));
  });

  test('when matchers cannot be parsed, then building the rules fails naming them', () => {
    expect(() => alertRuleGroups({ matchers: 'namespace=ums-prod' })).toThrow(
      /cannot parse label matchers/,
    );
  });

  test('when an annotation is rendered for a test case, then labels and $value are filled in', () => {
    expect(
      renderAnnotation('{{ $labels.a }} at {{ $value | humanizePercentage }}', { a: 'auth' }, '5%'),
    ).toBe('auth at 5%');
    expect(() => renderAnnotation('{{ $value }}', {}, undefined)).toThrow(/\$value/);
  });
});
