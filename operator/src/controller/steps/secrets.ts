// Secrets: generate the ones the operator owns (once, never overwritten) and check that the ones
// the user references exist with the right keys. Values are never read into logs, status or
// events: only key names leave this file.
import type { V1Secret } from '@kubernetes/client-node';
import type { DatabaseName } from '../../api/database-schema.ts';
import { buildGeneratedSecret, generatedSecretSpecs } from '../../resources/secret.ts';
import type { GeneratedSecretSpec } from '../../resources/secret.ts';
import { isConflict, isNotFound, ReconcileError } from '../../runtime/kube-errors.ts';
import type { Observations, ReconcileContext } from '../context.ts';

async function readSecret(ctx: ReconcileContext, name: string): Promise<V1Secret | undefined> {
  try {
    return await ctx.core.readNamespacedSecret({ name, namespace: ctx.ref.namespace });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw new ReconcileError('SecretReadFailed', `reading Secret ${name}`, err);
  }
}

export async function ensureGeneratedSecrets(ctx: ReconcileContext): Promise<void> {
  // An instance that has never had a status is new: its Secrets almost surely do not exist yet,
  // so creating straight away (an existing one makes that a harmless 409) saves a read each.
  // Later reconciles read first, so a steady state sends no write attempts at all.
  const isNew = ctx.instance.status === undefined;
  const created: string[] = [];
  for (const spec of generatedSecretSpecs(ctx.ref)) {
    // Keyed by the instance's uid: an instance deleted and made again under the same name has
    // lost its Secrets to the garbage collector, and must not be taken for the old one.
    const key = `${ctx.ref.uid}/${spec.name}`;
    if (ctx.knownSecrets.has(key)) continue;
    const missing = isNew || !(await readSecret(ctx, spec.name));
    if (missing && (await createSecret(ctx, spec))) created.push(spec.name);
    ctx.knownSecrets.add(key);
  }
  if (created.length > 0) {
    ctx.events.normal(
      ctx.instance,
      'SecretsGenerated',
      `Generated Secret(s) ${created.join(', ')}`,
    );
  }
}

/** Creates a generated Secret; false when another reconcile created it first (theirs stands). */
async function createSecret(ctx: ReconcileContext, spec: GeneratedSecretSpec): Promise<boolean> {
  const secret = buildGeneratedSecret(ctx.ref, spec, ctx.random);
  try {
    ctx.applier.countWrite('Secret', 'create');
    await ctx.core.createNamespacedSecret({ namespace: ctx.ref.namespace, body: secret });
    return true;
  } catch (err) {
    if (isConflict(err)) return false;
    throw new ReconcileError('SecretCreateFailed', `creating Secret ${spec.name}`, err);
  }
}

interface SecretReference {
  secret: string;
  keys: string[];
  usedFor: string;
  database?: DatabaseName;
}

const databaseSecretUse: Record<DatabaseName, string> = {
  postgres: 'PostgreSQL credentials',
  mongodb: 'MongoDB credentials',
  redis: 'Redis AUTH token',
};

function referencedSecrets(ctx: ReconcileContext): SecretReference[] {
  const { databases, oidcProviders = [] } = ctx.ref.spec;
  const refs: SecretReference[] = [];
  for (const database of Object.keys(databaseSecretUse) as DatabaseName[]) {
    const secret = databases[database].external?.credentialsSecret;
    if (!secret) continue;
    refs.push({
      secret: secret.name,
      keys:
        'usernameKey' in secret ? [secret.usernameKey, secret.passwordKey] : [secret.passwordKey],
      usedFor: databaseSecretUse[database],
      database,
    });
  }
  for (const provider of oidcProviders) {
    const { name, key } = provider.clientSecret;
    refs.push({ secret: name, keys: [key], usedFor: `the ${provider.name} OIDC client secret` });
  }
  return refs;
}

/** Records missing referenced Secrets; returns true when everything referenced is there. */
export async function checkReferencedSecrets(
  ctx: ReconcileContext,
  obs: Observations,
): Promise<boolean> {
  const problems = new Map<DatabaseName, { reason: string; message: string }>();
  for (const ref of referencedSecrets(ctx)) {
    const secret = await readSecret(ctx, ref.secret);
    const present = new Set(Object.keys(secret?.data ?? {}));
    const missingKeys = ref.keys.filter((key) => !present.has(key));
    const problem = !secret
      ? {
          reason: 'SecretNotFound',
          message: `Secret "${ref.secret}" (${ref.usedFor}) not found in namespace ${ctx.ref.namespace}`,
        }
      : missingKeys.length > 0
        ? {
            reason: 'SecretKeyMissing',
            message: `Secret "${ref.secret}" (${ref.usedFor}) has no key ${missingKeys.map((k) => `"${k}"`).join(' or ')}`,
          }
        : undefined;
    if (!problem) continue;
    obs.missingSecrets.push(problem.message);
    if (ref.database) problems.set(ref.database, problem);
  }
  for (const database of ['postgres', 'mongodb', 'redis'] as const) {
    const external = ctx.ref.spec.databases[database].external;
    if (!external) continue;
    const problem = problems.get(database);
    obs.databases[database] = problem
      ? { ready: false, ...problem }
      : {
          ready: true,
          reason: 'ExternalConfigured',
          message: `Using the external server ${external.host}:${external.port}`,
        };
  }
  return obs.missingSecrets.length === 0;
}
