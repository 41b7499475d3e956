// Which optional kinds the API server serves right now (the Prometheus Operator's CRDs may be
// installed, removed or installed later). Answers are kept for a while, so a cluster without
// the CRDs costs one discovery request per period, not one per reconcile.
import { CustomObjectsApi } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { isNotFound, ReconcileError } from './kube-errors.ts';
import type { KindInfo } from './kinds.ts';

/** The seam reconcile() sees; tests of the steps can pass their own. */
export interface Discovery {
  served: (info: KindInfo) => Promise<boolean>;
  /** How long an answer is kept; an instance waiting for a kind is reconciled again after it. */
  readonly recheckMs: number;
  /** Drops a remembered answer (an apply just found the kind gone). */
  forget: (info: KindInfo) => void;
}

export class ApiDiscovery implements Discovery {
  readonly #api: CustomObjectsApi;
  readonly recheckMs: number;
  readonly #now: () => number;
  readonly #answers = new Map<string, { at: number; served: Promise<boolean> }>();

  constructor(kubeConfig: KubeConfig, recheckMs: number, now: () => number = Date.now) {
    this.#api = kubeConfig.makeApiClient(CustomObjectsApi);
    this.recheckMs = recheckMs;
    this.#now = now;
  }

  served(info: KindInfo): Promise<boolean> {
    const key = `${info.apiVersion}/${info.kind}`;
    const known = this.#answers.get(key);
    if (known && this.#now() - known.at < this.recheckMs) return known.served;
    const served = this.#ask(info);
    this.#answers.set(key, { at: this.#now(), served });
    // A failed request is not an answer: the next reconcile asks again.
    served.catch(() => this.#answers.delete(key));
    return served;
  }

  forget(info: KindInfo): void {
    this.#answers.delete(`${info.apiVersion}/${info.kind}`);
  }

  async #ask(info: KindInfo): Promise<boolean> {
    try {
      // GET /apis/<group>/<version>: 404 when no CRD of the group is installed; otherwise the
      // list of resources, which names the kind only if its CRD is.
      const [group = '', version = ''] = info.apiVersion.split('/');
      const list = await this.#api.getAPIResources({ group, version });
      return list.resources.some((r) => r.name === info.plural);
    } catch (err) {
      if (isNotFound(err)) return false;
      throw new ReconcileError(
        'DiscoveryFailed',
        `asking whether ${info.apiVersion} ${info.kind} is served`,
        err,
      );
    }
  }
}
