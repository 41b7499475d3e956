import { dashboards, panelsOf } from './dashboards.ts';
import { labelsUsed, legendLabels, unboundedLabels } from './promql-labels.ts';
import { alertProbes, alertRuleGroups } from './rules.ts';

const unbounded = new Set<string>(unboundedLabels);
const rules = alertRuleGroups().flatMap((g) => g.rules);
const panelTargets = dashboards().flatMap((d) =>
  panelsOf(d.json).flatMap((p) =>
    ((p.targets ?? []) as { expr?: string; legendFormat?: string }[]).map((t) => ({
      where: `${d.uid} / ${p.title ?? ''}`,
      expr: t.expr ?? '',
      legend: t.legendFormat ?? '',
    })),
  ),
);

describe('label cardinality', () => {
  test('when the guard reads expressions, then it finds grouping, join, matcher and label_replace labels', () => {
    expect(
      [
        ...labelsUsed(
          'sum by (service_name, path) (rate(x{url=~"/a.*", route="/b"}[5m])) / on (user_id) y' +
            ' + label_replace(z, "email", "$1", "id", "(.*)")',
        ),
      ].sort(),
    ).toEqual(['email', 'id', 'path', 'route', 'service_name', 'url', 'user_id']);
    expect([...labelsUsed('histogram_quantile(0.95, sum by (le) (rate(x[5m])))')]).toEqual(['le']);
  });

  test.each(rules.map((r) => [r.alert, r.expr]))(
    'when rule %s is read, then it groups and matches on bounded labels only',
    (_alert, expr) => {
      expect([...labelsUsed(expr)].filter((l) => unbounded.has(l))).toEqual([]);
    },
  );

  test('when the probes are read, then they use bounded labels only', () => {
    for (const p of alertProbes()) {
      expect({
        alert: p.alert,
        bad: [...labelsUsed(p.expr)].filter((l) => unbounded.has(l)),
      }).toEqual({
        alert: p.alert,
        bad: [],
      });
    }
  });

  test('when every dashboard panel is read, then its queries and legends use bounded labels only', () => {
    expect(panelTargets.length).toBeGreaterThan(50);
    const bad = panelTargets.flatMap((t) =>
      [...labelsUsed(t.expr), ...legendLabels(t.legend)]
        .filter((l) => unbounded.has(l))
        .map((l) => `${t.where}: ${l}`),
    );
    expect(bad).toEqual([]);
  });

  test('when requests are broken down by endpoint, then it is by the route template', () => {
    const byEndpoint = panelTargets.filter((t) => labelsUsed(t.expr).has('route'));
    expect(byEndpoint.length).toBeGreaterThanOrEqual(3);
    for (const t of byEndpoint) expect(t.expr).not.toMatch(/\b(path|url)\b/);
  });
});
