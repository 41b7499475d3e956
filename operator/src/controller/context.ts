// Everything one reconcile of one instance needs, passed explicitly so steps stay testable.
import type { CoreV1Api } from '@kubernetes/client-node';
import type { Logger } from '@ums/service-kit/logger';
import type { DatabaseName } from '../api/database-schema.ts';
import type { InstanceStatus } from '../api/status-schema.ts';
import type { InstanceRef, UserManagementInstance } from '../api/types.ts';
import type { RandomString } from '../resources/secret.ts';
import type { Applier } from '../runtime/apply.ts';
import type { Discovery } from '../runtime/discovery.ts';
import type { EventRecorder } from '../runtime/events.ts';
import type { Caches } from '../runtime/informers.ts';
import type { TtlSet } from '../runtime/ttl-set.ts';
import type { InstanceApi } from './instance-api.ts';

export interface ReconcileContext {
  instance: UserManagementInstance;
  ref: InstanceRef;
  caches: Caches;
  applier: Applier;
  /** Whether the Prometheus Operator's kinds are served (they may be installed at any time). */
  discovery: Discovery;
  core: CoreV1Api;
  instances: InstanceApi;
  events: EventRecorder;
  logger: Logger;
  random: RandomString;
  now: () => Date;
  /** The last status written per instance uid, and the resourceVersion it was computed from. */
  statusMemo: Map<string, { basedOn: string | undefined; status: InstanceStatus }>;
  /** Generated Secrets seen to exist recently (namespace/name): no need to read them again. */
  knownSecrets: TtlSet;
}

export interface DatabaseObservation {
  ready: boolean;
  reason: string;
  message: string;
}

export interface MonitoringObservation {
  ready: boolean;
  reason: string;
  message: string;
  /** Something asked for is not served yet: look again after Discovery's recheck period. */
  recheck: boolean;
}

export type MigrationState = 'done' | 'running' | 'succeeded' | 'failed';

/** What the steps found out, from which the status is computed. */
export interface Observations {
  databases: Partial<Record<DatabaseName, DatabaseObservation>>;
  /** Referenced Secrets that are missing or lack a key, in words. */
  missingSecrets: string[];
  migration?: { state: MigrationState; version: string; job?: string };
  /** The version the Deployments were applied with; undefined before the first migration. */
  rolloutVersion?: string;
  /** What spec.monitoring asked for and what became of it; unset when the step did not run. */
  monitoring?: MonitoringObservation;
  error?: { reason: string; message: string };
}

export function emptyObservations(): Observations {
  return { databases: {}, missingSecrets: [] };
}
