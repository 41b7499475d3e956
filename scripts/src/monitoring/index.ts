/**
 * The local monitoring stack: Prometheus (Debian's 2.42), Alertmanager (Debian's 0.25), the node
 * exporter (Debian's 1.5) and Jaeger v2 (built from scripts/tools/jaeger), as child processes on
 * loopback. `npm start` and `npm run monitoring:up` run them on the default ports; an integration
 * test starts its own copies on its own ports with its own rules file:
 *
 * ```ts
 * import { startMonitoring } from '../monitoring/index.ts';
 * const monitoring = await startMonitoring({
 *   dataDir: mkdtempSync(join(tmpdir(), 'ums-mon-')),  // config, data and logs go here
 *   ports: await freeMonitoringPorts(),                 // or omit for 59090, 59093, ...
 *   ruleFiles: [myRulesFile],                           // default: monitoring/rules/ums-alerts.rules.yaml
 *   targets: { gateway: ['127.0.0.1:41234'] },          // default: the npm start ports
 *   alertWebhookUrl: 'http://127.0.0.1:41235/alerts',   // optional
 * });
 * monitoring.urls.prometheus   // http://127.0.0.1:<port>: /api/v1/query, /-/reload, ...
 * monitoring.urls.otlpHttp     // OTEL_EXPORTER_OTLP_ENDPOINT for the services under test
 * await monitoring.stop();     // stops what it started, in reverse order
 * ```
 *
 * Prometheus scrapes the jobs gateway, auth, profile, operator and node every 5 s (evaluates
 * rules as often), every target with the static labels namespace="local" and
 * ums_instance="local", and sends alerts to this Alertmanager; `--web.enable-lifecycle` is on
 * (POST /-/reload after rewriting a rules file). Alertmanager has one receiver, `local`
 * (a webhook when `alertWebhookUrl` is given), and no clustering. Jaeger takes OTLP on HTTP and
 * gRPC, keeps traces in memory, and serves its UI and query API (/api/traces/<id>,
 * /api/v3/traces/<id>). None of them needs credentials.
 *
 * Binaries come from PROMETHEUS_BIN, ALERTMANAGER_BIN, NODE_EXPORTER_BIN and JAEGER_BIN
 * (scripts/ums.sh records them in .local/env) or `binaries`. Helpers to query the servers are in
 * clients.ts.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  alertmanagerConfig,
  defaultPorts,
  defaultTargets,
  jaegerConfig,
  localLabels,
  prometheusConfig,
  type MonitoringPorts,
  type ScrapeJob,
  type TargetLabels,
} from './config.ts';
import { readPid, startServer, stopPid, type RunningServer, type ServerSpec } from './servers.ts';

export { defaultPorts, scrapeJobs, type MonitoringPorts, type ScrapeJob } from './config.ts';

export const monitoringServers = ['alertmanager', 'node-exporter', 'jaeger', 'prometheus'] as const;
export type MonitoringServer = (typeof monitoringServers)[number];

export interface MonitoringBinaries {
  prometheus: string;
  alertmanager: string;
  nodeExporter: string;
  jaeger: string;
}

export interface MonitoringUrls {
  prometheus: string;
  alertmanager: string;
  nodeExporter: string;
  /** Jaeger's UI and HTTP query API. */
  jaeger: string;
  /** OTLP over HTTP: the value for OTEL_EXPORTER_OTLP_ENDPOINT (POST <it>/v1/traces). */
  otlpHttp: string;
  /** OTLP over gRPC, host:port. */
  otlpGrpc: string;
}

export interface StartMonitoringOptions {
  /** Each server's config and data go to <dataDir>/<server>/ (npm start: .local/data). */
  dataDir: string;
  /** <logDir>/<server>.log; default dataDir. */
  logDir?: string;
  ports?: Partial<MonitoringPorts>;
  /** Which servers to run; default all four. */
  servers?: readonly MonitoringServer[];
  /** Prometheus rule files (absolute); default the committed monitoring/rules/ums-alerts.rules.yaml when it exists. */
  ruleFiles?: readonly string[];
  /** host:port per scrape job, replacing the default for that job (the npm start ports). */
  targets?: Partial<Record<ScrapeJob, readonly string[]>>;
  /** Static labels on every target; default namespace="local", ums_instance="local". */
  labels?: TargetLabels;
  /** Prometheus' scrape and rule evaluation interval; default 5s. */
  interval?: string;
  /** Alertmanager's webhook receiver; without it the receiver `local` only records alerts. */
  alertWebhookUrl?: string;
  binaries?: Partial<MonitoringBinaries>;
  /**
   * pid files (<runDir>/<server>.pid): a server with a live one is reused as it is and left
   * running by stop(); the ones started here are recorded there (npm start: .local/run).
   */
  runDir?: string;
  /** Leave the servers running when this process exits (monitoring:up). Needs runDir. */
  persistent?: boolean;
  readyTimeoutMs?: number;
  /** Environment for the default targets and binaries; default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface Monitoring {
  urls: MonitoringUrls;
  ports: MonitoringPorts;
  /** The config files written (only for the servers started here). */
  configFiles: { prometheus: string; alertmanager: string; jaeger: string };
  ruleFiles: readonly string[];
  /** The servers started by this call; the others were already running (runDir). */
  started: MonitoringServer[];
  reused: MonitoringServer[];
  /** Stops the servers this call started, Prometheus first. */
  stop: () => Promise<void>;
}

const root = new URL('../../../', import.meta.url).pathname;
/** The committed rules (generated by operator/scripts/generate.ts). */
export const committedRulesFile = join(root, 'monitoring/rules/ums-alerts.rules.yaml');

/** Ports from UMS_PROMETHEUS_PORT, UMS_ALERTMANAGER_PORT, UMS_NODE_EXPORTER_PORT, UMS_JAEGER_*_PORT. */
export function portsFromEnv(env: NodeJS.ProcessEnv = process.env): MonitoringPorts {
  const port = (name: string, fallback: number) => Number(env[name] || fallback);
  return {
    prometheus: port('UMS_PROMETHEUS_PORT', defaultPorts.prometheus),
    alertmanager: port('UMS_ALERTMANAGER_PORT', defaultPorts.alertmanager),
    nodeExporter: port('UMS_NODE_EXPORTER_PORT', defaultPorts.nodeExporter),
    jaegerQuery: port('UMS_JAEGER_QUERY_PORT', defaultPorts.jaegerQuery),
    jaegerQueryGrpc: port('UMS_JAEGER_QUERY_GRPC_PORT', defaultPorts.jaegerQueryGrpc),
    jaegerOtlpHttp: port('UMS_JAEGER_OTLP_HTTP_PORT', defaultPorts.jaegerOtlpHttp),
    jaegerOtlpGrpc: port('UMS_JAEGER_OTLP_GRPC_PORT', defaultPorts.jaegerOtlpGrpc),
    jaegerHealth: port('UMS_JAEGER_HEALTH_PORT', defaultPorts.jaegerHealth),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** A free loopback port for each server, for a test's own copies. */
export async function freeMonitoringPorts(): Promise<MonitoringPorts> {
  const ports = {} as MonitoringPorts;
  for (const key of Object.keys(defaultPorts) as (keyof MonitoringPorts)[])
    ports[key] = await freePort();
  return ports;
}

export function monitoringUrls(ports: MonitoringPorts): MonitoringUrls {
  return {
    prometheus: `http://127.0.0.1:${ports.prometheus}`,
    alertmanager: `http://127.0.0.1:${ports.alertmanager}`,
    nodeExporter: `http://127.0.0.1:${ports.nodeExporter}`,
    jaeger: `http://127.0.0.1:${ports.jaegerQuery}`,
    otlpHttp: `http://127.0.0.1:${ports.jaegerOtlpHttp}`,
    otlpGrpc: `127.0.0.1:${ports.jaegerOtlpGrpc}`,
  };
}

function binaries(env: NodeJS.ProcessEnv, given: Partial<MonitoringBinaries>): MonitoringBinaries {
  const jaeger = given.jaeger ?? env.JAEGER_BIN;
  return {
    prometheus: given.prometheus ?? env.PROMETHEUS_BIN ?? '/usr/bin/prometheus',
    alertmanager: given.alertmanager ?? env.ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager',
    nodeExporter:
      given.nodeExporter ?? env.NODE_EXPORTER_BIN ?? '/usr/bin/prometheus-node-exporter',
    // Built per checkout's go.sum: only scripts/ums.sh knows where (ensure_jaeger).
    jaeger: jaeger ?? 'JAEGER_BIN is not set: run through scripts/ums.sh (npm start, npm test)',
  };
}

function writeYaml(file: string, value: unknown): void {
  writeFileSync(
    file,
    `# Written by scripts/src/monitoring: edits are overwritten.\n${stringify(value)}`,
  );
}

type Spec = ServerSpec & { config?: string; writeConfig?: () => void };

/** Each server's command line, and how to write its config under dataDir. */
function serverSpecs(
  options: StartMonitoringOptions,
  ports: MonitoringPorts,
  ruleFiles: readonly string[],
  bins: MonitoringBinaries,
): Record<MonitoringServer, Spec> {
  const env = options.env ?? process.env;
  const interval = options.interval ?? '5s';
  const logDir = options.logDir ?? options.dataDir;
  const dir = (name: string) => join(options.dataDir, name);
  const urls = monitoringUrls(ports);
  const log = (name: string) => join(logDir, `${name}.log`);
  const targets = { ...defaultTargets(env, ports), ...options.targets };
  const promConfig = join(dir('prometheus'), 'prometheus.yml');
  const amConfig = join(dir('alertmanager'), 'alertmanager.yml');
  const jaegerFile = join(dir('jaeger'), 'jaeger.yml');
  return {
    prometheus: {
      name: 'prometheus',
      binary: bins.prometheus,
      config: promConfig,
      writeConfig: () =>
        writeYaml(
          promConfig,
          prometheusConfig({
            targets,
            labels: options.labels ?? localLabels,
            ruleFiles,
            alertmanagerPort: ports.alertmanager,
            scrapeInterval: interval,
            evaluationInterval: interval,
          }),
        ),
      args: [
        `--config.file=${promConfig}`,
        `--storage.tsdb.path=${join(dir('prometheus'), 'tsdb')}`,
        '--storage.tsdb.retention.time=2d',
        `--web.listen-address=127.0.0.1:${ports.prometheus}`,
        `--web.external-url=${urls.prometheus}`,
        '--web.enable-lifecycle',
        // Firing alerts are re-sent this often (default 1m): one sent before the Alertmanager was
        // discovered, or while it restarted, reaches it within seconds.
        '--rules.alert.resend-delay=2s',
        '--log.level=warn',
      ],
      ports: [ports.prometheus],
      readyUrls: [`${urls.prometheus}/-/ready`],
      logFile: log('prometheus'),
    },
    alertmanager: {
      name: 'alertmanager',
      binary: bins.alertmanager,
      config: amConfig,
      writeConfig: () =>
        writeYaml(
          amConfig,
          alertmanagerConfig({
            webhookUrl: options.alertWebhookUrl,
            groupWait: '1s',
            groupInterval: '5s',
          }),
        ),
      args: [
        `--config.file=${amConfig}`,
        `--storage.path=${join(dir('alertmanager'), 'data')}`,
        `--web.listen-address=127.0.0.1:${ports.alertmanager}`,
        `--web.external-url=${urls.alertmanager}`,
        '--cluster.listen-address=', // no gossip port: a single local instance
        '--log.level=warn',
      ],
      ports: [ports.alertmanager],
      readyUrls: [`${urls.alertmanager}/-/ready`],
      logFile: log('alertmanager'),
    },
    'node-exporter': {
      name: 'node-exporter',
      binary: bins.nodeExporter,
      args: [`--web.listen-address=127.0.0.1:${ports.nodeExporter}`, '--log.level=warn'],
      ports: [ports.nodeExporter],
      readyUrls: [`${urls.nodeExporter}/metrics`],
      logFile: log('node-exporter'),
    },
    jaeger: {
      name: 'jaeger',
      binary: bins.jaeger,
      config: jaegerFile,
      writeConfig: () => writeYaml(jaegerFile, jaegerConfig(ports)),
      args: [`--config=${jaegerFile}`],
      ports: [
        ports.jaegerQuery,
        ports.jaegerQueryGrpc,
        ports.jaegerOtlpHttp,
        ports.jaegerOtlpGrpc,
        ports.jaegerHealth,
      ],
      readyUrls: [`http://127.0.0.1:${ports.jaegerHealth}/status`, `${urls.jaeger}/api/services`],
      logFile: log('jaeger'),
    },
  };
}

/**
 * Starts the servers (all four unless `servers` says otherwise) and resolves once each is ready;
 * when one fails, stops the others it started and rejects with that server's log tail.
 */
export async function startMonitoring(options: StartMonitoringOptions): Promise<Monitoring> {
  const env = options.env ?? process.env;
  const ports = { ...portsFromEnv(env), ...options.ports };
  const ruleFiles =
    options.ruleFiles ?? (existsSync(committedRulesFile) ? [committedRulesFile] : []);
  const specs = serverSpecs(options, ports, ruleFiles, binaries(env, options.binaries ?? {}));
  const wanted = monitoringServers.filter((s) =>
    (options.servers ?? monitoringServers).includes(s),
  );
  mkdirSync(options.logDir ?? options.dataDir, { recursive: true });
  const results = await Promise.allSettled(
    wanted.map((name) => {
      const spec = specs[name];
      const running = options.runDir ? readPid(options.runDir, name) : undefined;
      if (running === undefined) {
        mkdirSync(join(options.dataDir, name), { recursive: true });
        spec.writeConfig?.();
      }
      return startServer(spec, {
        runDir: options.runDir,
        persistent: options.persistent,
        readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
      });
    }),
  );
  const up = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  // Prometheus first, so that it does not report the others' shutdown as failed scrapes.
  const stop = async () => {
    for (const server of [...up].reverse()) await server.stop();
  };
  const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
  if (failed.length > 0) {
    await stop();
    throw new Error(failed.map((e) => e.message).join('\n\n'));
  }
  const names = (list: RunningServer[]) => list.map((s) => s.name as MonitoringServer);
  return {
    urls: monitoringUrls(ports),
    ports,
    configFiles: {
      prometheus: specs.prometheus.config ?? '',
      alertmanager: specs.alertmanager.config ?? '',
      jaeger: specs.jaeger.config ?? '',
    },
    ruleFiles,
    started: names(up.filter((s) => s.startedHere)),
    reused: names(up.filter((s) => !s.startedHere)),
    stop,
  };
}

/** Stops the servers recorded in runDir (monitoring:down), Prometheus first. */
export async function stopMonitoring(runDir: string): Promise<MonitoringServer[]> {
  const stopped: MonitoringServer[] = [];
  for (const name of [...monitoringServers].reverse()) {
    const pid = readPid(runDir, name);
    rmSync(join(runDir, `${name}.pid`), { force: true });
    if (pid === undefined) continue;
    await stopPid(pid);
    stopped.push(name);
  }
  return stopped;
}

/** Which servers have a live pid file in runDir (monitoring:status). */
export function monitoringStatus(runDir: string): Record<MonitoringServer, number | undefined> {
  return Object.fromEntries(
    monitoringServers.map((name) => [name, readPid(runDir, name)]),
  ) as Record<MonitoringServer, number | undefined>;
}
