// `npm start`: with the local servers up (scripts/ums.sh did that), runs migrations and seeds,
// starts the monitoring servers (Prometheus, Alertmanager, node exporter, Jaeger; their logs in
// .local/log) and every component that exists plus the gateway in the foreground with prefixed
// logs, prints the URLs and demo credentials, and stops everything in order on Ctrl-C.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  components,
  existingComponents,
  gatewaySourceAddress,
  type Component,
} from './components.ts';
import { startMonitoring, type Monitoring } from '../monitoring/index.ts';
import { prefixLines, startProcess, stopProcess, type ManagedProcess } from './processes.ts';
import { redactUrl } from './redact-url.ts';

const root = new URL('../../../', import.meta.url).pathname;
const gatewayPort = Number(process.env.GATEWAY_PORT ?? 8000);
const isTty = process.stdout.isTTY === true;

function step(message: string): void {
  console.log(`==> ${message}`);
}

/** Workspaces own their schema: each may define db:migrate and db:seed scripts. */
function runWorkspaceScript(script: string): void {
  const result = spawnSync('npm', ['run', script, '--workspaces', '--if-present'], {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
  });
  if (result.status !== 0) throw new Error(`npm run ${script} failed (exit ${result.status})`);
}

async function waitForHealth(
  url: string,
  timeoutMs: number,
  processes: ManagedProcess[],
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const dead = processes.find((p) => p.child.exitCode !== null);
    if (dead)
      throw new Error(`${dead.name} exited with code ${dead.child.exitCode} during start-up`);
    const healthy = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

interface DemoUser {
  email: string;
  password: string;
  role: string;
}

/**
 * The monitoring servers on their default ports (UMS_PROMETHEUS_PORT, ... move them), reusing
 * those `npm run monitoring:up` left running. UMS_MONITORING=0 runs none (the end-to-end tests'
 * stacks, which start several at once).
 */
async function monitoringUp(): Promise<Monitoring | undefined> {
  if (process.env.UMS_MONITORING === '0') return undefined;
  step('monitoring: Prometheus, Alertmanager, node exporter, Jaeger (logs in .local/log)');
  return startMonitoring({
    dataDir: join(root, '.local/data'),
    logDir: join(root, '.local/log'),
    runDir: join(root, '.local/run'),
  });
}

function monitoringLines(monitoring: Monitoring | undefined): string[] {
  if (!monitoring) return ['  Monitoring     off (UMS_MONITORING=0)'];
  const { urls } = monitoring;
  const rules = monitoring.ruleFiles.length > 0 ? 'alert rules loaded' : 'no alert rules file yet';
  return [
    `  Prometheus     ${urls.prometheus}   targets: /targets   rules: /rules (${rules})`,
    `  Alertmanager   ${urls.alertmanager}`,
    `  Jaeger         ${urls.jaeger}   traces from auth, profile, gateway (OTLP ${urls.otlpHttp})`,
  ];
}

async function banner(present: Component[], monitoring: Monitoring | undefined): Promise<string> {
  const has = (name: Component['name']) => present.some((c) => c.name === name);
  const lines = [
    '',
    `User Management Platform is running (Node ${process.version})`,
    `  API gateway    http://localhost:${gatewayPort}   health: /health   API docs: /api-docs`,
    ...components.map((c) =>
      has(c.name)
        ? `  ${c.name.padEnd(13)}http://localhost:${c.port}`
        : `  ${c.name.padEnd(13)}(not built yet: ${c.dir} holds its README)`,
    ),
    `  PostgreSQL     ${redactUrl(process.env.DATABASE_URL)}`,
    `  MongoDB wire   ${redactUrl(process.env.MONGODB_URI)}`,
    `  Redis          ${redactUrl(process.env.REDIS_URL)}`,
    ...monitoringLines(monitoring),
  ];
  if (has('auth')) {
    // The seed's own list, so what is printed is exactly what was seeded.
    const seed = join(root, 'services/auth/src/data/demo-users.ts');
    const { demoUsers } = (await import(seed)) as { demoUsers: readonly DemoUser[] };
    lines.push('', 'Demo users (development seed only):');
    for (const u of demoUsers)
      lines.push(`  ${u.email.padEnd(34)} ${u.password.padEnd(19)} ${u.role}`);
  } else {
    lines.push('', 'Demo users are seeded by the auth service, which is not built yet.');
  }
  lines.push('', 'Press Ctrl-C to stop.', '');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const present = existingComponents(root);
  step('database migrations and seeds');
  runWorkspaceScript('db:migrate');
  runWorkspaceScript('db:seed');
  let monitoring: Monitoring | undefined;
  try {
    monitoring = await monitoringUp();
  } catch (error) {
    console.error(`✗ ${(error as Error).message}`);
    process.exitCode = 1;
    return;
  }
  // Tracing on: the services and the gateway export spans to this Jaeger, unless told otherwise.
  const otlp: NodeJS.ProcessEnv = monitoring
    ? {
        OTEL_EXPORTER_OTLP_ENDPOINT:
          process.env.OTEL_EXPORTER_OTLP_ENDPOINT || monitoring.urls.otlpHttp,
      }
    : {};

  const width = Math.max(...['gateway', ...present.map((c) => c.name)].map((n) => n.length));
  const processes: ManagedProcess[] = [];
  const gatewayEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...otlp,
    GATEWAY_PORT: String(gatewayPort),
    GATEWAY_SOURCE_ADDRESS: gatewaySourceAddress,
  };
  const startComponent = (c: (typeof present)[number], i: number) =>
    startProcess({
      name: c.name,
      command: 'npm',
      args: ['run', 'start', '--silent'],
      cwd: join(root, c.dir),
      env: {
        ...process.env,
        ...c.env,
        ...otlp,
        PORT: String(c.port),
        MAIL_OUTBOX_DIR: process.env.MAIL_OUTBOX_DIR ?? join(root, '.local/mail'),
      },
      prefix: prefixLines(c.name, width, i, isTty),
    });
  present.forEach((c, i) => {
    step(`starting ${c.name} on http://localhost:${c.port}`);
    processes.push(startComponent(c, i));
    gatewayEnv[c.gatewayEnv] = `http://127.0.0.1:${c.port}`;
  });
  step(`starting the gateway on http://localhost:${gatewayPort}`);
  processes.push(
    startProcess({
      name: 'gateway',
      command: process.execPath,
      args: [join(root, 'scripts/src/gateway/main.ts')],
      cwd: root,
      env: gatewayEnv,
      prefix: prefixLines('gateway', width, present.length, isTty),
    }),
  );

  let stopping = false;
  const stopAll = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    step(`stopping (${reason})`);
    // Gateway first, so nothing new reaches the services while they drain.
    for (const p of [...processes].reverse()) await stopProcess(p, 10_000);
    // Last, so that the services' final spans and scrapes still land.
    await monitoring?.stop();
    step('stopped');
  };
  process.on('SIGINT', () => void stopAll('Ctrl-C'));
  process.on('SIGTERM', () => void stopAll('SIGTERM'));

  try {
    await waitForHealth(`http://127.0.0.1:${gatewayPort}/health`, 60_000, processes);
    for (const c of present)
      await waitForHealth(`http://127.0.0.1:${c.port}/health`, 60_000, processes);
  } catch (error) {
    console.error(`✗ ${(error as Error).message}`);
    await stopAll('start-up failed');
    process.exitCode = 1;
    return;
  }
  if (present.some((c) => c.name === 'profile')) {
    // Profiles are created from auth's events, which flow only once both services run: seed the
    // profile details again now (seeds are idempotent), after the first events had time to land.
    step('seeding again now that events flow');
    await new Promise((r) => setTimeout(r, 3_000));
    runWorkspaceScript('db:seed');
  }
  console.log(await banner(present, monitoring));

  // Keep running until a signal arrives or a process dies; a dead process stops the rest, unless
  // UMS_RESTART_CRASHED=1 (the fault tests), where a dead service is started again, as the
  // kubelet would restart its container.
  const restart = process.env.UMS_RESTART_CRASHED === '1';
  for (;;) {
    const exit = await Promise.race(processes.map((p) => p.exited.then((code) => ({ p, code }))));
    const index = present.findIndex((c) => c.name === exit.p.name);
    const component = present[index];
    if (stopping || !restart || !component) {
      if (!stopping) await stopAfterExit(exit.p.name, exit.code);
      return;
    }
    step(`${exit.p.name} exited with code ${exit.code}: starting it again`);
    processes[processes.indexOf(exit.p)] = startComponent(component, index);
  }

  async function stopAfterExit(name: string, code: number): Promise<void> {
    console.error(`✗ ${name} exited with code ${code}`);
    await stopAll(`${name} exited`);
    process.exitCode = 1;
  }
}

await main();
