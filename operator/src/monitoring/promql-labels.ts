// The label names a PromQL expression groups by, matches on or rewrites, read with regular
// expressions (enough for the expressions written here; not a PromQL parser). Used by the
// label-cardinality guard.

const grouping = /\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g;
const selectorBody = /\{([^{}]*)\}/g;
const matcherLabel = /([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)\s*"/g;
const labelReplace = /label_replace\([^"]*"([^"]*)"\s*,\s*"[^"]*"\s*,\s*"([^"]*)"/g;

/** Every label name the expression aggregates by, joins on, matches or label_replaces. */
export function labelsUsed(expr: string): Set<string> {
  const used = new Set<string>();
  // Strings first out of the way of the grouping pattern: `"(.*)"` is no `by (...)`.
  for (const m of expr.matchAll(labelReplace)) {
    if (m[1]) used.add(m[1]);
    if (m[2]) used.add(m[2]);
  }
  const unquoted = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const m of unquoted.matchAll(grouping)) {
    for (const name of (m[1] ?? '').split(',')) if (name.trim()) used.add(name.trim());
  }
  for (const m of expr.matchAll(selectorBody)) {
    for (const l of (m[1] ?? '').matchAll(matcherLabel)) if (l[1]) used.add(l[1]);
  }
  return used;
}

/** `{{label}}` references of a Grafana legend template. */
export const legendLabels = (legend: string): string[] =>
  [...legend.matchAll(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g)].map((m) => m[1] ?? '');

/**
 * Labels whose values are unbounded (one per request, user or session): a rule or panel that
 * groups by one makes a series per value. Routes are templates (`/users/:id`), never raw paths.
 */
export const unboundedLabels = [
  'path',
  'url',
  'uri',
  'raw_path',
  'user_id',
  'userId',
  'account_id',
  'id',
  'email',
  'session_id',
  'request_id',
  'trace_id',
  'token',
  'ip',
  'client_ip',
  'user_agent',
] as const;
