// Schemathesis (PyPI) against both services' OpenAPI documents, on a real stack, with every check
// (docs/testing.md): anonymous, with a user's token and with an admin's. No server error, no
// response outside its schema or its documented statuses, no schema-valid request refused and no
// schema-invalid one accepted. scripts/tools/schemathesis/schemathesis.toml holds the two things a
// schema cannot say; SCHEMATHESIS_BIN comes from scripts/lib/api-fuzz.sh.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireEnv } from '../smoke/env.ts';
import { startStack, type RunningStack } from './stack.ts';

const root = new URL('../../../', import.meta.url).pathname;
const CONFIG = join(root, 'scripts/tools/schemathesis/schemathesis.toml');
// Bounded so that `npm test` stays within its budget (about 10 s per run here); a fixed seed
// makes a failure in CI replayable. UMS_FUZZ_EXAMPLES and UMS_FUZZ_SEED search further.
const EXAMPLES = process.env.UMS_FUZZ_EXAMPLES ?? '40';
const SEED = process.env.UMS_FUZZ_SEED ?? '20261204';

// These can end the caller's own session: logout, a session of one's own deleted, and the admin
// operations that sign accounts out, which the stateful phase calls with the caller's own id (it
// follows links from GET /auth/me). With them in a run, every later request of that run would only
// meet 401. They get a run of their own, last, with an admin's token.
const SESSION_ENDING = [
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/logout-all',
  'DELETE /api/v1/auth/me',
  'DELETE /api/v1/auth/sessions/{id}',
  'POST /api/v1/accounts/{id}/revoke-sessions',
  'POST /api/v1/accounts/bulk',
];

interface Report {
  exit_code: number;
  operations: { selected: number; tested: number; errored: number };
  test_cases: { generated: number; with_failures: number };
  failures: { code: string; title: string; operations: string[] }[];
  errors: unknown[];
  warnings: { missing_auth: string[] };
}

async function fuzz(
  name: string,
  baseUrl: string,
  options: { token?: string; only?: readonly string[]; except?: readonly string[] },
): Promise<{ report: Report; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), `ums-fuzz-${name}-`));
  const reportPath = join(dir, 'report.json');
  const args = [
    '--config-file',
    CONFIG,
    'run',
    `${baseUrl}/api-docs/openapi.json`,
    '--url',
    baseUrl,
    '--checks',
    'all',
    '--max-examples',
    EXAMPLES,
    '--seed',
    SEED,
    // One worker: with two, Hypothesis's lambda-source cache raced in one run out of three here.
    '--workers',
    '1',
    '--no-color',
    '--report',
    'json',
    '--report-json-path',
    reportPath,
    ...(options.token ? ['--header', `Authorization: Bearer ${options.token}`] : []),
    ...(options.only ?? []).flatMap((op) => ['--include-name', op]),
    ...(options.except ?? []).flatMap((op) => ['--exclude-name', op]),
  ];
  const child = spawn(requireEnv('SCHEMATHESIS_BIN'), args, {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  await new Promise((resolve) => child.on('exit', resolve));
  writeFileSync(join(dir, 'output.txt'), output);
  let report: Report;
  try {
    report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
  } catch {
    throw new Error(`schemathesis wrote no report:\n${output.slice(-4000)}`);
  }
  const failed = report.failures.flatMap((f) => f.operations.map((op) => `${f.code} ${op}`));
  console.log(
    `schemathesis ${name}: ${report.operations.tested} operations, ` +
      `${report.test_cases.generated} test cases, ${failed.length} failures (${dir})`,
  );
  return { report, output };
}

/** What a run must show: it tested something, and found nothing. */
function expectClean({ report, output }: { report: Report; output: string }, operations: number) {
  const found = {
    failures: report.failures.flatMap((f) => f.operations.map((op) => `${f.code} ${op}`)),
    errors: report.errors.length,
  };
  if (found.failures.length || found.errors) console.log(output.slice(-20_000));
  expect(found).toEqual({ failures: [], errors: 0 });
  expect(report.exit_code).toBe(0);
  expect(report.operations.tested).toBe(operations);
  expect(report.test_cases.generated).toBeGreaterThan(operations * 10);
}

async function signIn(stack: RunningStack, email: string, password: string): Promise<string> {
  const res = await fetch(`${stack.auth}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as { accessToken?: string };
  if (!body.accessToken) throw new Error(`sign-in as ${email}: ${res.status}`);
  stack.remember(body.accessToken);
  return body.accessToken;
}

const meStatus = async (stack: RunningStack, token: string) =>
  (await fetch(`${stack.auth}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } }))
    .status;

const operationCount = async (url: string) => {
  const doc = (await (await fetch(`${url}/api-docs/openapi.json`)).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  return Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
};

describe('Schemathesis against the OpenAPI documents of both services', () => {
  let stack: RunningStack;
  let services: { name: string; url: string; operations: number }[];
  // Signed in before any fuzzing: the anonymous runs' failed sign-ins count against this address.
  const tokens = { user: '', admin: '', sessionEnder: '' };

  beforeAll(async () => {
    stack = await startStack();
    const profile = `http://127.0.0.1:${stack.ports.profile}`;
    services = [
      { name: 'auth', url: stack.auth, operations: await operationCount(stack.auth) },
      { name: 'profile', url: profile, operations: await operationCount(profile) },
    ];
    tokens.user = await signIn(stack, 'john.doe@example.com', 'DemoUser123!');
    tokens.admin = await signIn(stack, 'admin@usermanagement.local', 'AdminPassword123!');
    tokens.sessionEnder = await signIn(stack, 'demo.admin@usermanagement.local', 'DemoAdmin123!');
  }, 120_000);

  afterAll(async () => {
    if (stack) await stack.stop();
  });

  const sessionEnding = (name: string) => (name === 'auth' ? SESSION_ENDING : []);

  it('when called anonymously, then every operation answers within its document', async () => {
    for (const { name, url, operations } of services) {
      expectClean(await fuzz(`${name}-anonymous`, url, {}), operations);
    }
  }, 600_000);

  it("when called with a user's token, then every operation answers within its document, and the token is accepted throughout", async () => {
    const token = tokens.user;
    for (const { name, url, operations } of services) {
      const except = sessionEnding(name);
      const run = await fuzz(`${name}-user`, url, { token, except });
      expectClean(run, operations - except.length);
      // The token outlived the run, and no self-service operation met nothing but 401/403.
      expect(await meStatus(stack, token)).toBe(200);
      for (const op of ['GET /api/v1/auth/me', 'GET /api/v1/users/me', 'PATCH /api/v1/users/me']) {
        expect(run.report.warnings.missing_auth).not.toContain(op);
      }
    }
  }, 600_000);

  it("when called with an admin's token, then every operation answers within its document, the admin ones included", async () => {
    const token = tokens.admin;
    for (const { name, url, operations } of services) {
      const except = sessionEnding(name);
      const run = await fuzz(`${name}-admin`, url, { token, except });
      expectClean(run, operations - except.length);
      // No admin read met nothing but 401/403, and the token outlived the run.
      expect(run.report.warnings.missing_auth.filter((op) => op.startsWith('GET '))).toEqual([]);
      expect(await meStatus(stack, token)).toBe(200);
    }
  }, 600_000);

  it('when the operations that end the caller’s session are fuzzed last, then they answer within their document too', async () => {
    const token = tokens.sessionEnder;
    expectClean(
      await fuzz('auth-session-ending', stack.auth, { token, only: SESSION_ENDING }),
      SESSION_ENDING.length,
    );
  }, 600_000);
});
