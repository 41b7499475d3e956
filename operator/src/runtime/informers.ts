// List-and-watch caches for the custom resource and every owned kind, scoped to one namespace
// or the whole cluster. Children are watched through the managed-by label only, so the operator
// never caches objects that are not its own. Objects are kept as wire JSON (see wire.ts).
import { KubernetesObjectApi, ListWatch, Watch } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesListObject } from '@kubernetes/client-node';
import type { Logger } from '@ums/service-kit/logger';
import { managedBySelector } from '../api/group.ts';
import { describeError } from './kube-errors.ts';
import { collectionPath, instanceKind, ownedKinds } from './kinds.ts';
import type { KindInfo } from './kinds.ts';
import { toWire } from './wire.ts';
import type { WireObject } from './wire.ts';

export type CacheEvent = 'add' | 'update' | 'delete';
export type CacheListener = (info: KindInfo, event: CacheEvent, obj: WireObject) => void;

export interface CachesOptions {
  kubeConfig: KubeConfig;
  /** Watch one namespace only; all namespaces when unset. */
  namespace?: string;
  logger: Logger;
  onEvent: CacheListener;
}

const MAX_RESTART_DELAY_MS = 30_000;

export class Caches {
  readonly #options: CachesOptions;
  readonly #objects: KubernetesObjectApi;
  readonly #informers = new Map<string, ListWatch<WireObject>>();
  readonly #onListed = new Map<string, () => void>();
  readonly #started = new Map<string, Promise<void>>();
  readonly #listed = new Set<string>();
  #stopped = false;
  #synced = false;

  constructor(options: CachesOptions) {
    this.#options = options;
    this.#objects = KubernetesObjectApi.makeApiClient(options.kubeConfig);
  }

  /**
   * Lists every kind and opens the watches; resolves once every cache holds a full list. A
   * failing list (say, a missing RBAC rule) is logged and retried, and this keeps waiting.
   */
  async start(): Promise<void> {
    const kinds = [
      instanceKind,
      ...Object.values(ownedKinds).filter((k: KindInfo) => k.watched && !k.optional),
    ];
    await Promise.all(kinds.map((info) => this.#startOne(info)));
    this.#synced = true;
  }

  /**
   * Starts watching an optional kind (see KindInfo.optional) once discovery has found it served;
   * resolves when its cache holds a full list. Rejects after `timeoutMs` if the list keeps
   * failing (a missing RBAC rule, say), while the informer goes on retrying in the background.
   */
  async watch(info: KindInfo, timeoutMs = 10_000): Promise<void> {
    if (this.#stopped) throw new Error('the caches are stopped');
    let listed = this.#started.get(info.kind);
    if (!listed) {
      listed = this.#startOne(info);
      this.#started.set(info.kind, listed);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no list of ${info.kind} within ${timeoutMs} ms (see the log)`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([listed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Whether the cache of an optional kind is filled (so `get` and `list` can be trusted). */
  watching(info: KindInfo): boolean {
    return this.#listed.has(info.kind);
  }

  get synced(): boolean {
    return this.#synced;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all([...this.#informers.values()].map((informer) => informer.stop()));
  }

  get(info: KindInfo, namespace: string, name: string): WireObject | undefined {
    return this.#informers.get(info.kind)?.get(name, namespace);
  }

  list(info: KindInfo, namespace?: string): readonly WireObject[] {
    return this.#informers.get(info.kind)?.list(namespace) ?? [];
  }

  async #startOne(info: KindInfo): Promise<void> {
    const { namespace, onEvent, logger } = this.#options;
    const selector = info === instanceKind ? undefined : managedBySelector;
    const informer = new ListWatch<WireObject>(
      collectionPath(info, namespace),
      new Watch(this.#options.kubeConfig),
      () => this.#list(info, selector),
      false,
      selector,
    );
    for (const event of ['add', 'update', 'delete'] as const) {
      informer.on(event, (obj) => {
        // The callback receives the very object the cache keeps, so this trims the cache too.
        trim(obj);
        onEvent(info, event, obj);
      });
    }
    let delay = 1000;
    informer.on('connect', () => {
      delay = 1000;
    });
    // ListWatch stops on errors other than an expired resource version; restart it with backoff.
    informer.on('error', (err: unknown) => {
      if (this.#stopped) return;
      logger.warn({ kind: info.kind, error: describeError(err), retryInMs: delay }, 'watch failed');
      setTimeout(() => {
        if (!this.#stopped) void informer.start().catch(() => undefined);
      }, delay).unref();
      delay = Math.min(delay * 2, MAX_RESTART_DELAY_MS);
    });
    this.#informers.set(info.kind, informer);
    const listed = new Promise<void>((resolve) => this.#onListed.set(info.kind, resolve));
    void informer.start().catch(() => undefined);
    await listed;
    this.#listed.add(info.kind);
  }

  async #list(info: KindInfo, labelSelector?: string): Promise<KubernetesListObject<WireObject>> {
    const list = await this.#objects.list(
      info.apiVersion,
      info.kind,
      this.#options.namespace,
      undefined,
      undefined,
      undefined,
      undefined,
      labelSelector,
    );
    const items = list.items.map((item) => trim(toWire(item, info.model)));
    // The informer fills its cache right after this returns; one tick later it is complete.
    const resolve = this.#onListed.get(info.kind);
    if (resolve) {
      this.#onListed.delete(info.kind);
      setImmediate(resolve);
    }
    return { ...list, items };
  }
}

/**
 * Drops managedFields: often the largest part of an object, never read by the operator, and
 * (as controller-runtime's cache transform does) not worth keeping for thousands of children.
 */
function trim(obj: WireObject): WireObject {
  if (obj.metadata?.managedFields) delete obj.metadata.managedFields;
  return obj;
}
