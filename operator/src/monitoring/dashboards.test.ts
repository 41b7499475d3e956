import { dashboardExpressions, dashboards, panelsOf } from './dashboards.ts';

interface Variable {
  name: string;
  type: string;
  query?: unknown;
  datasource?: { uid?: string };
}
const all = dashboards();

describe('dashboards', () => {
  test('when the dashboards are built, then there is one per topic and one per database, each with its own uid', () => {
    expect(all.map((d) => d.uid)).toEqual([
      'ums-overview',
      'ums-security',
      'ums-events',
      'ums-operator',
      'ums-postgres',
      'ums-mongodb',
      'ums-redis',
    ]);
    for (const d of all) {
      expect(d.fileName).toBe(`${d.uid}.json`);
      expect(d.json).toMatchObject({ uid: d.uid, title: d.title });
    }
  });

  test.each(all.map((d) => [d.uid, d]))(
    'when %s is read, then it has the datasource, namespace and ums_instance variables',
    (_uid, d) => {
      const vars = (d.json as { templating: { list: Variable[] } }).templating.list;
      expect(vars.map((v) => [v.name, v.type])).toEqual([
        ['datasource', 'datasource'],
        ['namespace', 'query'],
        ['ums_instance', 'query'],
      ]);
      expect(vars[0]?.query).toBe('prometheus');
      expect(vars[2]?.query).toMatch(/^label_values\(.*\$namespace.*\)$/);
      expect(vars.slice(1).every((v) => v.datasource?.uid === '${datasource}')).toBe(true);
    },
  );

  test.each(all.map((d) => [d.uid, d]))(
    'when %s’s panels are read, then each queries the datasource variable, has a unique id and a query',
    (_uid, d) => {
      const panels = panelsOf(d.json).filter((p) => p.type !== 'row') as (ReturnType<
        typeof panelsOf
      >[number] & { id: number; datasource: { uid: string } })[];
      expect(panels.length).toBeGreaterThanOrEqual(4);
      const ids = panelsOf(d.json).map((p) => (p as { id: number }).id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const p of panels) {
        expect(p.datasource.uid).toBe('${datasource}');
        expect(p.targets?.length).toBeGreaterThan(0);
      }
    },
  );

  test('when the instance’s series are queried, then always through the namespace and ums_instance variables', () => {
    for (const d of all) {
      for (const p of panelsOf(d.json)) {
        for (const t of p.targets ?? []) {
          const expr = t.expr ?? '';
          for (const [, metric, body] of expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}/g)) {
            if (
              metric?.startsWith('ums_operator_') ||
              metric?.startsWith('node_') ||
              body?.includes('ums-operator')
            )
              continue;
            expect({ where: `${d.uid}/${p.title}`, metric, body }).toEqual({
              where: `${d.uid}/${p.title}`,
              metric,
              body: expect.stringContaining(
                'namespace=~"$namespace", ums_instance=~"$ums_instance"',
              ),
            });
          }
        }
      }
    }
  });

  test('when the expressions are listed for a live Prometheus, then no template variable is left and every panel is there', () => {
    const exprs = dashboardExpressions();
    expect(exprs.length).toBe(
      all.flatMap((d) => panelsOf(d.json).flatMap((p) => p.targets ?? [])).length,
    );
    for (const e of exprs) expect(e.expr).not.toContain('$');
    expect(exprs.find((e) => e.panel === 'Requests per second by route')?.expr).toBe(
      'sum by (service_name, method, route) (rate(http_request_duration_seconds_count{namespace=~".*", ums_instance=~".*"}[5m]))',
    );
  });
});
