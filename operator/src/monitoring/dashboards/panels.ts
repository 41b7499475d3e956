// The few panel shapes the dashboards use, over @grafana/grafana-foundation-sdk's builders: a
// dashboard with the datasource, namespace and ums_instance variables, time series and stats
// whose queries all go through the Prometheus datasource variable.
import {
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  VizLegendOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  DashboardBuilder,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

/** Every query runs against the dashboard's `datasource` variable. */
export const datasource = { type: 'prometheus', uid: '${datasource}' };

export interface Query {
  readonly expr: string;
  /** Grafana's legend template, e.g. `{{service_name}} {{route}}`. */
  readonly legend?: string;
}

export interface PanelOptions {
  readonly unit?: string;
  /** Width in grid columns (of 24); 12 when unset. */
  readonly span?: number;
  readonly height?: number;
  readonly description?: string;
  readonly min?: number;
  readonly max?: number;
  /** Value from which the stat turns red (and orange at `warnAt`). */
  readonly redAt?: number;
  readonly warnAt?: number;
  /** Red when the value falls *below* `redAt` (success rates, connected flags). */
  readonly lowIsBad?: boolean;
}

/**
 * Where the template variables read their values: the app's series carry `namespace` and
 * `ums_instance`; the operator's per-instance gauge names them `instance_namespace`/`instance_name`.
 */
export type VariableSource = 'app' | 'operator';

const variableQueries: Record<VariableSource, { namespace: string; instance: string }> = {
  app: {
    namespace: 'label_values(up{ums_instance!=""}, namespace)',
    instance: 'label_values(up{namespace=~"$namespace", ums_instance!=""}, ums_instance)',
  },
  operator: {
    namespace: 'label_values(ums_operator_instance_ready, instance_namespace)',
    instance:
      'label_values(ums_operator_instance_ready{instance_namespace=~"$namespace"}, instance_name)',
  },
};

const queryVariable = (name: string, label: string, query: string) =>
  new QueryVariableBuilder(name)
    .label(label)
    .datasource(datasource)
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*');

function thresholds(o: PanelOptions): ThresholdsConfigBuilder | undefined {
  if (o.redAt === undefined) return undefined;
  const steps = o.lowIsBad
    ? [
        { value: null, color: 'red' },
        ...(o.warnAt === undefined ? [] : [{ value: o.redAt, color: 'orange' }]),
        { value: o.warnAt ?? o.redAt, color: 'green' },
      ]
    : [
        { value: null, color: 'green' },
        ...(o.warnAt === undefined ? [] : [{ value: o.warnAt, color: 'orange' }]),
        { value: o.redAt, color: 'red' },
      ];
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps);
}

const targets = (queries: readonly Query[], instant: boolean) =>
  queries.map((q, i) => {
    const t = new DataqueryBuilder()
      .datasource(datasource)
      .refId(String.fromCharCode(65 + i))
      .expr(q.expr)
      .legendFormat(q.legend ?? '__auto');
    return instant ? t.instant() : t.range();
  });

/** A dashboard under construction: panels get stable ids in the order they are added. */
export class Board {
  private readonly builder: DashboardBuilder;
  private nextId = 1;

  constructor(uid: string, title: string, description: string, variables: VariableSource) {
    const q = variableQueries[variables];
    this.builder = new DashboardBuilder(title)
      .uid(uid)
      .description(description)
      .tags(['ums', 'user-management'])
      .editable()
      .refresh('30s')
      .time({ from: 'now-6h', to: 'now' })
      .timezone('browser')
      .withVariable(
        new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'),
      )
      .withVariable(queryVariable('namespace', 'Namespace', q.namespace))
      .withVariable(queryVariable('ums_instance', 'Instance', q.instance));
  }

  row(title: string): this {
    this.builder.withRow(new RowBuilder(title).id(this.nextId++));
    return this;
  }

  timeseries(title: string, queries: readonly Query[], o: PanelOptions = {}): this {
    const panel = new timeseries.PanelBuilder()
      .id(this.nextId++)
      .title(title)
      .datasource(datasource)
      .span(o.span ?? 12)
      .height(o.height ?? 8)
      .legend(
        new VizLegendOptionsBuilder()
          .showLegend(true)
          .displayMode(LegendDisplayMode.List)
          .placement(LegendPlacement.Bottom),
      )
      .targets(targets(queries, false));
    if (o.unit !== undefined) panel.unit(o.unit);
    if (o.description !== undefined) panel.description(o.description);
    if (o.min !== undefined) panel.min(o.min);
    if (o.max !== undefined) panel.max(o.max);
    const t = thresholds(o);
    if (t) panel.thresholds(t);
    this.builder.withPanel(panel);
    return this;
  }

  stat(title: string, queries: readonly Query[], o: PanelOptions = {}): this {
    const panel = new stat.PanelBuilder()
      .id(this.nextId++)
      .title(title)
      .datasource(datasource)
      .span(o.span ?? 6)
      .height(o.height ?? 5)
      .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
      .targets(targets(queries, true));
    if (o.unit !== undefined) panel.unit(o.unit);
    if (o.description !== undefined) panel.description(o.description);
    if (o.min !== undefined) panel.min(o.min);
    if (o.max !== undefined) panel.max(o.max);
    const t = thresholds(o);
    if (t) panel.thresholds(t);
    this.builder.withPanel(panel);
    return this;
  }

  build(): object {
    return this.builder.build();
  }
}
