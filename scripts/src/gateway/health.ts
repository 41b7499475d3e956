import type { FetchOptions } from './upstream-fetch.ts';
import { fetchUpstream } from './upstream-fetch.ts';

export type ServiceState = 'ok' | 'down' | 'not_configured';

export interface HealthTarget {
  readonly name: string;
  /** Undefined when the service is not configured for this gateway. */
  readonly origin: string | undefined;
  readonly path: string;
  /** Web dev servers have no health endpoint; any non-5xx answer means they are up. */
  readonly acceptAnyBelow500?: boolean;
}

async function probe(target: HealthTarget, options: FetchOptions): Promise<ServiceState> {
  if (target.origin === undefined) return 'not_configured';
  try {
    const response = await fetchUpstream(target.origin, target.path, options);
    await response.body?.cancel();
    const healthy = target.acceptAnyBelow500 ? response.status < 500 : response.ok;
    return healthy ? 'ok' : 'down';
  } catch {
    return 'down';
  }
}

/** Probes all targets in parallel; a slow service costs at most `timeoutMs`, not the sum. */
export async function checkServices(
  targets: readonly HealthTarget[],
  options: FetchOptions,
): Promise<Record<string, ServiceState>> {
  const states = await Promise.all(
    targets.map(async (target) => [target.name, await probe(target, options)] as const),
  );
  return Object.fromEntries(states);
}
