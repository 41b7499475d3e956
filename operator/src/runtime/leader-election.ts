// Leader election on a coordination.k8s.io Lease, following client-go's algorithm: the holder
// renews every retry period; others take the Lease when its record has not changed for the
// lease duration *as measured on their own clock* (so clock skew between nodes does not matter);
// a leader that cannot renew within the renew deadline steps down before anyone can take over.
import { CoordinationV1Api } from '@kubernetes/client-node';
import type { KubeConfig, V1Lease, V1LeaseSpec } from '@kubernetes/client-node';
import type { Logger } from '@ums/service-kit/logger';
import { describeError, isConflict, isNotFound } from './kube-errors.ts';

export interface LeaderElectionOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  name: string;
  identity: string;
  logger: Logger;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
}

// client-node serialises Date as milliseconds, but Lease times are MicroTime, which the API
// server parses only with six fractional digits.
function microTime(date: Date): Date {
  return `${date.toISOString().slice(0, 23)}000Z` as unknown as Date;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The Lease's namespace does not exist: retrying cannot help, so the operator stops with this. */
export class LeaseNamespaceMissingError extends Error {
  override name = 'LeaseNamespaceMissingError';
  constructor(namespace: string) {
    super(
      `namespace "${namespace}" not found: leader election keeps its Lease there. Apply ` +
        `operator/config/manager/namespace.yaml (kubectl apply -f operator/config/manager/namespace.yaml), ` +
        `set POD_NAMESPACE to an existing namespace, or run one replica with LEADER_ELECT=false.`,
    );
  }
}

export class LeaderElector {
  readonly #options: LeaderElectionOptions;
  readonly #api: CoordinationV1Api;
  #observedVersion = '';
  #observedAt = 0;
  #leader = false;
  #stopped = false;

  constructor(options: LeaderElectionOptions) {
    this.#options = options;
    this.#api = options.kubeConfig.makeApiClient(CoordinationV1Api);
  }

  get isLeader(): boolean {
    return this.#leader;
  }

  /** Campaigns until elected, then renews until the Lease is lost or `stop()` is called. */
  async run(): Promise<void> {
    const { retryPeriodMs, renewDeadlineMs, logger, identity, onStartedLeading } = this.#options;
    while (!this.#stopped && !(await this.#tryAcquireOrRenew())) await sleep(retryPeriodMs);
    if (this.#stopped) return;
    this.#leader = true;
    logger.info({ identity, lease: this.#options.name }, 'became leader');
    onStartedLeading();
    let lastRenew = performance.now();
    while (!this.#stopped) {
      await sleep(retryPeriodMs);
      if (this.#stopped) return;
      const renewed = await withTimeout(this.#tryAcquireOrRenew(), renewDeadlineMs);
      if (renewed) lastRenew = performance.now();
      else if (performance.now() - lastRenew > renewDeadlineMs) return this.#lose();
    }
  }

  /** Stops campaigning; a leader gives the Lease up so a standby takes over at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (!this.#leader) return;
    this.#leader = false;
    try {
      const lease = await this.#read();
      if (lease?.spec?.holderIdentity !== this.#options.identity) return;
      await this.#write(lease, { holderIdentity: '', leaseDurationSeconds: 1 });
    } catch (err) {
      this.#options.logger.warn({ error: describeError(err) }, 'could not release the lease');
    }
  }

  #lose(): void {
    this.#leader = false;
    this.#stopped = true;
    this.#options.logger.error({ identity: this.#options.identity }, 'lost the lease');
    this.#options.onStoppedLeading();
  }

  async #tryAcquireOrRenew(): Promise<boolean> {
    const { identity, leaseDurationMs, logger } = this.#options;
    try {
      const lease = await this.#read();
      if (!lease) return await this.#create();
      const spec = lease.spec ?? {};
      const version = lease.metadata?.resourceVersion ?? '';
      if (version !== this.#observedVersion) {
        this.#observedVersion = version;
        this.#observedAt = performance.now();
      }
      const holder = spec.holderIdentity ?? '';
      const durationMs = (spec.leaseDurationSeconds ?? 0) * 1000;
      const held = holder !== '' && holder !== identity;
      if (held && performance.now() - this.#observedAt < durationMs) return false;
      const now = new Date();
      const mine = holder === identity;
      await this.#write(lease, {
        holderIdentity: identity,
        leaseDurationSeconds: Math.ceil(leaseDurationMs / 1000),
        acquireTime:
          mine && spec.acquireTime ? microTime(new Date(spec.acquireTime)) : microTime(now),
        renewTime: microTime(now),
        leaseTransitions: (spec.leaseTransitions ?? 0) + (mine ? 0 : 1),
      });
      return true;
    } catch (err) {
      if (err instanceof LeaseNamespaceMissingError) throw err;
      if (!isConflict(err)) logger.warn({ error: describeError(err) }, 'lease update failed');
      return false;
    }
  }

  async #read(): Promise<V1Lease | undefined> {
    const { namespace, name } = this.#options;
    try {
      return await this.#api.readNamespacedLease({ namespace, name });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async #create(): Promise<boolean> {
    const { namespace, name, identity, leaseDurationMs } = this.#options;
    const now = microTime(new Date());
    // Reading a Lease in a missing namespace is a plain 404; only creating one tells them apart.
    await this.#api
      .createNamespacedLease({
        namespace,
        body: {
          metadata: { name, namespace },
          spec: {
            holderIdentity: identity,
            leaseDurationSeconds: Math.ceil(leaseDurationMs / 1000),
            acquireTime: now,
            renewTime: now,
            leaseTransitions: 0,
          },
        },
      })
      .catch((err: unknown) => {
        throw isNotFound(err) ? new LeaseNamespaceMissingError(namespace) : err;
      });
    return true;
  }

  async #write(lease: V1Lease, spec: V1LeaseSpec): Promise<void> {
    const { namespace, name } = this.#options;
    const updated = await this.#api.replaceNamespacedLease({
      namespace,
      name,
      body: {
        metadata: { name, namespace, resourceVersion: lease.metadata?.resourceVersion },
        spec,
      },
    });
    this.#observedVersion = updated.metadata?.resourceVersion ?? '';
    this.#observedAt = performance.now();
  }
}

async function withTimeout(promise: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
