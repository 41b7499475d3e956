// Helpers shared by the kit's own tests (not part of the runtime API).
import { Writable } from 'node:stream';
import type { Express } from 'express';
import request from 'supertest';
import { createLogger } from '../logger.ts';
import type { Logger } from '../logger.ts';

export interface CapturedLogger {
  logger: Logger;
  /** Raw JSON lines written so far. */
  lines: () => string[];
  /** Parsed log records written so far. */
  records: () => Record<string, unknown>[];
}

export function captureLogger(level: 'trace' | 'debug' | 'info' = 'info'): CapturedLogger {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger({ name: 'test-service', level, destination });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line.length > 0);
  return {
    logger,
    lines,
    records: () => lines().map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** A concrete path for an Express route pattern: every `:param` becomes a fresh UUID. */
export function concretePath(pattern: string): string {
  return pattern.replace(/:[A-Za-z_][A-Za-z0-9_]*/g, () => crypto.randomUUID());
}

/** The distinct `route` label values of `http_request_duration_seconds` in a scrape. */
export function routeLabelsOf(metricsText: string): string[] {
  const routes = new Set<string>();
  for (const line of metricsText.split('\n')) {
    if (!line.startsWith('http_request_duration_seconds_count{')) continue;
    const route = /[{,]route="([^"]*)"/.exec(line)?.[1];
    if (route !== undefined) routes.add(route);
  }
  return [...routes].sort();
}

export interface RouteLabelCheck {
  /** The `route` labels scraped after the calls. */
  labels: string[];
  /** Labels that are neither a route template of the table, `/metrics` nor `unmatched`. */
  strays: string[];
  /** Whether any path sent carried a UUID (proves the table had parameters to fill in). */
  sentIds: boolean;
}

/**
 * Label cardinality (docs/observability.md): calls every route of `table` with UUIDs for its
 * parameters and every path of `unknownPaths` (each must be a 404), then scrapes `/metrics`.
 */
export async function routeLabelsAfterCalls(
  app: Express,
  table: readonly { method: 'get' | 'post' | 'put' | 'patch' | 'delete'; path: string }[],
  unknownPaths: readonly string[],
): Promise<RouteLabelCheck> {
  const sent: string[] = [];
  for (const route of table) {
    const path = concretePath(route.path);
    sent.push(path);
    await request(app)[route.method](path);
  }
  for (const path of unknownPaths) await request(app).get(path).expect(404);
  const labels = routeLabelsOf((await request(app).get('/metrics')).text);
  const allowed = new Set([...table.map((r) => r.path), '/metrics', 'unmatched']);
  return {
    labels,
    strays: labels.filter((label) => !allowed.has(label)),
    sentIds: sent.some((p) => /[0-9a-f]{8}-[0-9a-f]{4}-/.test(p)),
  };
}
