// What an SRE gets from the local stack, proved on the real servers: Prometheus scraping the
// gateway, both services, the operator and the node exporter with the generated rules loaded,
// Alertmanager receiving what fires, and Jaeger holding one registration's trace end to end.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'otplib';
import { stringify } from 'yaml';
import {
  alertProbes,
  alertRuleGroups,
  dashboardExpressions,
} from '@ums/operator/src/monitoring/index.ts';
import {
  alertmanagerAlerts,
  jaegerTrace,
  promQuery,
  traceServices,
  waitFor,
} from '../monitoring/clients.ts';
import { freeMonitoringPorts, startMonitoring, type Monitoring } from '../monitoring/index.ts';
import { kubectl, kubectlApply, run } from '../platform/cluster.ts';
import { requireEnv, uniqueSuffix } from '../smoke/env.ts';
import { freePort, freeStackPorts, mailedToken, startStack, type RunningStack } from './stack.ts';

const root = new URL('../../../', import.meta.url).pathname;
const password = 'correct horse battery staple 9';
const totp = { algorithm: 'sha1', digits: 6, period: 30 } as const;

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** The PID of the process listening on a loopback port (the stack starts the services itself). */
async function listenerPid(port: number): Promise<number> {
  const { stdout } = await run('ss', ['-Hltnp', `sport = :${port}`]);
  const pid = /pid=(\d+)/.exec(stdout)?.[1];
  if (!pid) throw new Error(`nothing listens on port ${port}: ${stdout}`);
  return Number(pid);
}

/** The operator as `npm run operator` runs it, on one namespace, serving /metrics on `port`. */
function startOperator(
  namespace: string,
  port: number,
): { child: ChildProcess; log: () => string } {
  const child = spawn(process.execPath, [join(root, 'operator/src/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      KUBECONFIG: requireEnv('KUBECONFIG'),
      WATCH_NAMESPACE: namespace,
      LEADER_ELECT: 'false',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, log: () => out };
}

describe('monitoring on the local stack: Prometheus, Alertmanager and Jaeger', () => {
  let stack: RunningStack;
  let monitoring: Monitoring;
  let operator: ReturnType<typeof startOperator> | undefined;
  const namespace = `mon-${uniqueSuffix()}`;

  const call = async (
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    headers = {},
  ) => {
    const res = await fetch(`${stack.gateway}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const expectStatus = (reply: Reply, status: number, what: string) => {
    if (reply.status !== status)
      throw new Error(
        `${what}: expected ${status}, got ${reply.status} ${JSON.stringify(reply.body)}`,
      );
    return reply;
  };

  const register = async (email: string, headers = {}) => {
    expectStatus(
      await call(
        'POST',
        '/api/v1/auth/register',
        { email, password, firstName: 'Sre' },
        undefined,
        headers,
      ),
      201,
      `register ${email}`,
    );
    const token = await mailedToken(stack.mailDir, email);
    expectStatus(await call('POST', '/api/v1/auth/email/verify', { token }), 200, 'verify');
  };

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ums-monitoring-'));
    // The generated rules exactly, with every `for:` shortened so an alert fires within the test.
    const rules = join(dir, 'rules.yaml');
    writeFileSync(rules, stringify({ groups: alertRuleGroups({ forOverride: '10s' }) }));
    const [ports, stackPorts, operatorPort] = [
      await freeMonitoringPorts(),
      await freeStackPorts(),
      await freePort(),
    ];

    await kubectl(
      'apply',
      '--server-side',
      '--force-conflicts',
      '-f',
      join(root, 'operator/config/crd'),
    );
    await kubectl(
      'wait',
      '--for=condition=Established',
      '--timeout=60s',
      'crd/usermanagementinstances.platform.ums.dev',
    );
    await kubectl('create', 'namespace', namespace);
    await kubectlApply({
      apiVersion: 'platform.ums.dev/v1alpha1',
      kind: 'UserManagementInstance',
      metadata: { name: 'watched', namespace },
      spec: { version: '0.1.0' },
    });
    operator = startOperator(namespace, operatorPort);

    monitoring = await startMonitoring({
      dataDir: dir,
      ports,
      ruleFiles: [rules],
      targets: {
        gateway: [`127.0.0.1:${stackPorts.gateway}`],
        auth: [`127.0.0.1:${stackPorts.auth}`],
        profile: [`127.0.0.1:${stackPorts.profile}`],
        operator: [`127.0.0.1:${operatorPort}`],
      },
    });
    stack = await startStack({
      ports: stackPorts,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: monitoring.urls.otlpHttp },
    });
    stack.remember(password);

    // The traffic run: what a morning of real use produces, in a few seconds.
    const suffix = uniqueSuffix();
    const emails = [0, 1, 2].map((i) => `sre-${i}-${suffix}@example.com`);
    for (const email of emails) await register(email);
    const [first, second, third] = emails as [string, string, string];
    const login = expectStatus(
      await call('POST', '/api/v1/auth/login', {
        email: first,
        password,
        refreshTokenDelivery: 'body',
      }),
      200,
      'login',
    );
    const access = login.body.accessToken as string;
    expectStatus(await call('GET', '/api/v1/users/me', undefined, access), 200, '/users/me');
    await call('GET', `/api/v1/users/${crypto.randomUUID()}`, undefined, access);
    await call('GET', '/api/v1/auth/sessions', undefined, access);
    await call('GET', '/api/v1/no-such-route');
    // Refresh-token reuse: the rotated token presented again kills the family.
    const refreshed = await call('POST', '/api/v1/auth/refresh', {
      refreshToken: login.body.refreshToken,
    });
    expectStatus(refreshed, 200, 'refresh');
    await call('POST', '/api/v1/auth/refresh', { refreshToken: login.body.refreshToken });
    // Eleven wrong passwords for one account: failures, a lockout, then the account throttle.
    for (let i = 0; i < 11; i++)
      await call('POST', '/api/v1/auth/login', { email: second, password: 'wrong password 123' });
    // MFA: enrol, then sign in with a wrong code and a right one.
    const mfaUser = expectStatus(
      await call('POST', '/api/v1/auth/login', { email: third, password }),
      200,
      'login 3',
    );
    const token3 = mfaUser.body.accessToken as string;
    const setup = expectStatus(
      await call('POST', '/api/v1/auth/mfa/totp/setup', {}, token3),
      200,
      'totp setup',
    );
    const secret = setup.body.secret as string;
    expectStatus(
      await call(
        'POST',
        '/api/v1/auth/mfa/totp/enable',
        { code: await generate({ secret, ...totp }) },
        token3,
      ),
      200,
      'totp enable',
    );
    const challenge = expectStatus(
      await call('POST', '/api/v1/auth/login', { email: third, password }),
      200,
      'mfa login',
    );
    const mfaToken = challenge.body.mfaToken as string;
    await call('POST', '/api/v1/auth/login/mfa', { mfaToken, code: '000000' });
    await call('POST', '/api/v1/auth/login/mfa', {
      mfaToken,
      code: await generate({ secret, ...totp }),
    });

    // Rates need two scrapes after the traffic; the operator needs one reconcile.
    await new Promise((r) => setTimeout(r, 12_000));
  }, 300_000);

  afterAll(async () => {
    if (stack) await stack.stop();
    operator?.child.kill('SIGTERM');
    if (monitoring) await monitoring.stop();
    await kubectl('delete', 'namespace', namespace, '--wait=false').catch(() => undefined);
  }, 60_000);

  it('when Prometheus has scraped the traffic, then every target is up', async () => {
    const down = await promQuery(monitoring.urls.prometheus, 'up == 0');
    expect(down.map((s) => s.metric.job)).toEqual([]);
    const up = await promQuery(monitoring.urls.prometheus, 'up');
    expect(up.map((s) => s.metric.job).sort()).toEqual([
      'auth',
      'gateway',
      'node',
      'operator',
      'profile',
    ]);
  });

  it('when every alert rule is run without its threshold, then each returns at least one series', async () => {
    const empty: string[] = [];
    for (const probe of alertProbes()) {
      const series = await promQuery(monitoring.urls.prometheus, probe.expr);
      if (series.length === 0) empty.push(`${probe.alert}: ${probe.expr}`);
    }
    expect(empty).toEqual([]);
  });

  it('when every dashboard panel query is run, then each returns at least one series', async () => {
    const empty: string[] = [];
    for (const panel of dashboardExpressions()) {
      const series = await promQuery(monitoring.urls.prometheus, panel.expr);
      if (series.length === 0) empty.push(`${panel.dashboard} / ${panel.panel}: ${panel.expr}`);
    }
    expect(empty).toEqual([]);
  });

  it('when a registration carries a trace, then Jaeger holds it with spans from the gateway, auth and profile', async () => {
    const traceId = randomBytes(16).toString('hex');
    const email = `traced-${uniqueSuffix()}@example.com`;
    expectStatus(
      await call(
        'POST',
        '/api/v1/auth/register',
        { email, password, firstName: 'Trace' },
        undefined,
        {
          traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
        },
      ),
      201,
      'traced registration',
    );
    const trace = await waitFor(
      'the registration trace with spans from gateway, auth and profile',
      async () => {
        const found = await jaegerTrace(monitoring.urls.jaeger, traceId);
        const names = found ? traceServices(found) : [];
        return ['gateway', 'auth', 'profile'].every((s) => names.includes(s)) ? found : undefined;
      },
      30_000,
    );
    // The hops between auth and profile: the relay's publish and the consumer's processing.
    const operations = trace.spans.map((span) => span.operationName);
    expect(operations).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^publish /),
        expect.stringMatching(/^process /),
      ]),
    );
  }, 60_000);

  it('when the profile consumer stops while auth keeps producing, then the lag alert reaches Alertmanager, and resolves once it runs again', async () => {
    const lagAlert = async () =>
      // A resolved alert stays in Alertmanager with an end in the past; only a live one counts.
      (await alertmanagerAlerts(monitoring.urls.alertmanager)).find(
        (a) => a.labels.alertname === 'UmsEventConsumerLag' && Date.parse(a.endsAt) > Date.now(),
      );
    const profile = await listenerPid(stack.ports.profile);
    process.kill(profile, 'SIGSTOP');
    try {
      // Two registrations, apart: a consumer stopped inside a blocking read is still handed the
      // first batch by Redis (pending, not lag); what comes after stays undelivered.
      await register(`lag-${uniqueSuffix()}@example.com`);
      await new Promise((r) => setTimeout(r, 1_000));
      await register(`lag-${uniqueSuffix()}@example.com`);
      const fired = await waitFor(
        'UmsEventConsumerLag in Alertmanager',
        lagAlert,
        90_000,
        1_000,
      ).catch(async (error: unknown) => {
        // What Prometheus saw, so a failure says whether the lag, the rule or the delivery broke.
        const lag = await promQuery(monitoring.urls.prometheus, 'ums_events_consumer_lag');
        const alerts = await promQuery(
          monitoring.urls.prometheus,
          'ALERTS{alertname="UmsEventConsumerLag"}',
        );
        throw new Error(
          `${String(error)}\nlag: ${JSON.stringify(lag)}\nALERTS: ${JSON.stringify(alerts)}`,
        );
      });
      expect(fired.labels).toMatchObject({
        severity: 'warning',
        namespace: 'local',
        ums_instance: 'local',
      });
    } finally {
      process.kill(profile, 'SIGCONT');
    }
    await waitFor(
      'UmsEventConsumerLag to resolve',
      async () => ((await lagAlert()) === undefined ? true : undefined),
      90_000,
      1_000,
    ).catch(async (error: unknown) => {
      const lag = await promQuery(monitoring.urls.prometheus, 'ums_events_consumer_lag');
      throw new Error(
        `${String(error)}\nlag: ${JSON.stringify(lag)}\nAlertmanager: ${JSON.stringify(await lagAlert())}`,
      );
    });
  }, 200_000);
});
