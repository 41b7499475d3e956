// Runs the Helm binary that scripts/ums.sh builds (HELM_BIN in .local/env) against the chart in
// charts/ums-operator, with its own config, cache and data folders so tests never read or write
// the user's ~/.config/helm.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { chartDir, repoRoot } from '../install/render.ts';

const run = promisify(execFile);

export const chartPath = join(repoRoot, chartDir);

const home = mkdtempSync(join(tmpdir(), 'ums-helm-'));
const env = {
  ...process.env,
  HELM_CONFIG_HOME: join(home, 'config'),
  HELM_CACHE_HOME: join(home, 'cache'),
  HELM_DATA_HOME: join(home, 'data'),
};

function helmBin(): string {
  const bin = process.env.HELM_BIN;
  if (!bin) {
    throw new Error('HELM_BIN is not set: `npm run infra:up` builds Helm (or run `npm test`)');
  }
  return bin;
}

/** Helm's standard output; rejects with an Error whose message is Helm's standard error. */
export async function helm(...args: string[]): Promise<string> {
  try {
    const { stdout } = await run(helmBin(), args, { env, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(stderr?.trim() || String(error), { cause: error });
  }
}

/** What Helm says on standard error when `args` fail; fails the test when they succeed. */
export async function helmError(...args: string[]): Promise<string> {
  return helm(...args).then(
    () => {
      throw new Error(`helm ${args.join(' ')} succeeded; a failure was expected`);
    },
    (error: Error) => error.message,
  );
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

export const parseObjects = (text: string): K8sObject[] =>
  parseAllDocuments(text)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((obj): obj is K8sObject => obj !== null);

/** `helm template` of the chart with `--set` pairs and other arguments, as objects. */
export async function renderChart(
  release: string,
  namespace: string,
  values: Record<string, string | number | boolean> = {},
  ...args: string[]
): Promise<K8sObject[]> {
  return parseObjects(
    await helm('template', release, chartPath, '-n', namespace, ...setArgs(values), ...args),
  );
}

export const setArgs = (values: Record<string, string | number | boolean>): string[] =>
  Object.entries(values).flatMap(([key, value]) => ['--set', `${key}=${value}`]);

export function find(objects: K8sObject[], kind: string): K8sObject {
  const found = objects.find((o) => o.kind === kind);
  if (!found) throw new Error(`no ${kind} among ${objects.map((o) => o.kind).join(', ')}`);
  return found;
}
