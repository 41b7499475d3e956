// The one thing owner references cannot clean up: volume claims that StatefulSets create from
// their templates belong to nobody, so deleting the instance leaves them behind. When a managed
// database asks for `reclaimPolicy: Delete`, a finalizer holds the instance until they are gone.
// Instances that need no such clean-up carry no finalizer at all.
import { labels, operatorName, cleanupFinalizer } from '../../api/group.ts';
import type { InstanceSpec } from '../../api/instance-schema.ts';
import { databaseNames } from '../../api/database-schema.ts';
import { isNotFound, ReconcileError } from '../../runtime/kube-errors.ts';
import type { ReconcileContext } from '../context.ts';

function databasesToDelete(spec: InstanceSpec): string[] {
  return databaseNames.filter(
    (db) => spec.databases[db].managed?.storage.reclaimPolicy === 'Delete',
  );
}

export async function ensureFinalizer(ctx: ReconcileContext): Promise<void> {
  const finalizers = ctx.instance.metadata.finalizers ?? [];
  const has = finalizers.includes(cleanupFinalizer);
  const needs = databasesToDelete(ctx.ref.spec).length > 0;
  if (has === needs) return;
  await ctx.instances.setFinalizers(
    ctx.instance,
    needs ? [...finalizers, cleanupFinalizer] : finalizers.filter((f) => f !== cleanupFinalizer),
  );
}

/** Runs the clean-up of a deleted instance, then lets it go. */
export async function finalize(ctx: ReconcileContext): Promise<void> {
  const finalizers = ctx.instance.metadata.finalizers ?? [];
  if (!finalizers.includes(cleanupFinalizer)) return;
  const databases = databasesToDelete(ctx.ref.spec);
  if (databases.length > 0) await deleteVolumeClaims(ctx, databases);
  await ctx.instances.setFinalizers(
    ctx.instance,
    finalizers.filter((f) => f !== cleanupFinalizer),
  );
}

async function deleteVolumeClaims(ctx: ReconcileContext, databases: string[]): Promise<void> {
  const { namespace, name } = ctx.ref;
  const labelSelector = `${labels.instance}=${name},${labels.managedBy}=${operatorName},${labels.component} in (${databases.join(',')})`;
  try {
    const claims = await ctx.core.listNamespacedPersistentVolumeClaim({ namespace, labelSelector });
    for (const claim of claims.items) {
      const claimName = claim.metadata?.name ?? '';
      ctx.applier.countWrite('PersistentVolumeClaim', 'delete');
      await ctx.core
        .deleteNamespacedPersistentVolumeClaim({ namespace, name: claimName })
        .catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
        });
    }
    if (claims.items.length > 0) {
      ctx.events.normal(
        ctx.instance,
        'VolumesDeleted',
        `Deleted ${claims.items.length} volume claim(s) of ${databases.join(', ')} (reclaimPolicy: Delete)`,
      );
    }
  } catch (err) {
    throw new ReconcileError('CleanupFailed', 'deleting the database volume claims', err);
  }
}
