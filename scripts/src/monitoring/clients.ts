// Small clients for the monitoring servers' HTTP APIs, for tests: PromQL queries, the loaded rules,
// targets and Alertmanagers (Prometheus), alerts (Alertmanager), traces (Jaeger), and a poller.

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`${init?.method ?? 'GET'} ${url}: ${response.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

interface PromResponse<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
}

async function promApi<T>(prometheusUrl: string, path: string): Promise<T> {
  const body = await getJson<PromResponse<T>>(`${prometheusUrl}${path}`);
  if (body.status !== 'success') throw new Error(`${path}: ${body.error ?? body.status}`);
  return body.data;
}

export interface PromSeries {
  metric: Record<string, string>;
  value: [number, string];
}

/** An instant query; rejects on a PromQL error (a typo is a failure, never an empty result). */
export async function promQuery(prometheusUrl: string, expr: string): Promise<PromSeries[]> {
  const data = await promApi<{ resultType: string; result: PromSeries[] | [number, string] }>(
    prometheusUrl,
    `/api/v1/query?query=${encodeURIComponent(expr)}`,
  );
  // A scalar or string result is one value, not a vector: report it as one label-less series.
  if (data.resultType === 'scalar' || data.resultType === 'string')
    return [{ metric: {}, value: data.result as [number, string] }];
  return data.result as PromSeries[];
}

export interface PromRuleGroup {
  name: string;
  file: string;
  rules: {
    name: string;
    type: 'alerting' | 'recording';
    state?: string;
    health: string;
    query: string;
  }[];
}

export async function promRules(prometheusUrl: string): Promise<PromRuleGroup[]> {
  return (await promApi<{ groups: PromRuleGroup[] }>(prometheusUrl, '/api/v1/rules')).groups;
}

export interface PromTarget {
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

export async function promTargets(prometheusUrl: string): Promise<PromTarget[]> {
  return (await promApi<{ activeTargets: PromTarget[] }>(prometheusUrl, '/api/v1/targets'))
    .activeTargets;
}

/** The Alertmanagers Prometheus has discovered and sends to. */
export async function promAlertmanagers(prometheusUrl: string): Promise<string[]> {
  const data = await promApi<{ activeAlertmanagers: { url: string }[] }>(
    prometheusUrl,
    '/api/v1/alertmanagers',
  );
  return data.activeAlertmanagers.map((a) => a.url);
}

/** Re-reads the config and rule files (Prometheus runs with --web.enable-lifecycle). */
export async function promReload(prometheusUrl: string): Promise<void> {
  const response = await fetch(`${prometheusUrl}/-/reload`, { method: 'POST' });
  if (!response.ok) throw new Error(`reload: ${response.status} ${await response.text()}`);
}

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: { state: 'active' | 'suppressed' | 'unprocessed' };
  startsAt: string;
  endsAt: string;
}

/** The alerts Alertmanager holds (API v2). */
export async function alertmanagerAlerts(alertmanagerUrl: string): Promise<AlertmanagerAlert[]> {
  return getJson<AlertmanagerAlert[]>(`${alertmanagerUrl}/api/v2/alerts`);
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  processID: string;
  references: { refType: string; traceID: string; spanID: string }[];
  tags: { key: string; value: unknown }[];
}
export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags: { key: string; value: unknown }[] }>;
}

/** One trace from Jaeger's HTTP API (the UI's), or undefined while Jaeger does not have it. */
export async function jaegerTrace(
  jaegerUrl: string,
  traceId: string,
): Promise<JaegerTrace | undefined> {
  const response = await fetch(`${jaegerUrl}/api/traces/${traceId}`, {
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status === 404) return undefined;
  const body = (await response.json()) as { data: JaegerTrace[] | null };
  if (!response.ok) throw new Error(`trace ${traceId}: ${response.status} ${JSON.stringify(body)}`);
  return body.data?.[0];
}

/** The service names of a trace's spans. */
export function traceServices(trace: JaegerTrace): string[] {
  return [...new Set(trace.spans.map((s) => trace.processes[s.processID]?.serviceName ?? '?'))];
}

/** The services Jaeger has received spans from. */
export async function jaegerServices(jaegerUrl: string): Promise<string[]> {
  return (await getJson<{ data: string[] | null }>(`${jaegerUrl}/api/services`)).data ?? [];
}

/** Polls until a probe returns something other than undefined (30 s unless told). */
export { waitFor } from '../platform/cluster.ts';
