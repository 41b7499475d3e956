// Kubernetes Events on the custom resource for what a person should see in `kubectl describe`:
// a migration starting or failing, Secrets generated, readiness gained or lost. As in client-go's
// recorder, recording never blocks a reconcile: events go into a bounded buffer that one sender
// drains, and a full buffer drops events (logged) rather than slowing the operator. The same
// event is not repeated within the throttle window, so a retry loop cannot flood the namespace.
import { randomBytes } from 'node:crypto';
import type { CoreV1Api, CoreV1Event } from '@kubernetes/client-node';
import type { Logger } from '@ums/service-kit/logger';
import { describeError } from './kube-errors.ts';
import type { OperatorMetrics } from './metrics.ts';

export interface EventTarget {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; uid: string };
}

export interface EventRecorderOptions {
  core: CoreV1Api;
  metrics: OperatorMetrics;
  logger: Logger;
  component: string;
  instanceId: string;
  throttleMs?: number;
  bufferSize?: number;
}

export class EventRecorder {
  readonly #options: EventRecorderOptions;
  readonly #recent = new Map<string, number>();
  readonly #buffer: CoreV1Event[] = [];
  #sending: Promise<void> | undefined;

  constructor(options: EventRecorderOptions) {
    this.#options = options;
  }

  normal(target: EventTarget, reason: string, message: string): void {
    this.#record(target, 'Normal', reason, message);
  }

  warning(target: EventTarget, reason: string, message: string): void {
    this.#record(target, 'Warning', reason, message);
  }

  /** Resolves once every buffered event has been sent (or has failed). */
  async flush(): Promise<void> {
    while (this.#sending) await this.#sending;
  }

  #record(target: EventTarget, type: string, reason: string, message: string): void {
    const { throttleMs = 600_000, bufferSize = 1000, logger } = this.#options;
    const { uid } = target.metadata;
    const key = `${uid}\u0000${type}\u0000${reason}\u0000${message}`;
    const now = Date.now();
    const last = this.#recent.get(key);
    if (last !== undefined && now - last < throttleMs) return;
    this.#recent.set(key, now);
    this.#forgetOld(now, throttleMs);
    if (this.#buffer.length >= bufferSize) {
      logger.warn({ reason }, 'event buffer full, dropping event');
      return;
    }
    this.#buffer.push(this.#event(target, type, reason, message, new Date(now)));
    this.#sending ??= this.#drain().finally(() => {
      this.#sending = undefined;
    });
  }

  #event(
    target: EventTarget,
    type: string,
    reason: string,
    message: string,
    time: Date,
  ): CoreV1Event {
    const { component, instanceId } = this.#options;
    const { name, namespace, uid } = target.metadata;
    return {
      metadata: { name: `${name}.${randomBytes(8).toString('hex')}`, namespace },
      involvedObject: { apiVersion: target.apiVersion, kind: target.kind, name, namespace, uid },
      type,
      reason,
      message,
      count: 1,
      firstTimestamp: time,
      lastTimestamp: time,
      source: { component },
      reportingComponent: component,
      reportingInstance: instanceId,
    };
  }

  async #drain(): Promise<void> {
    const { core, metrics, logger } = this.#options;
    for (let event = this.#buffer.shift(); event; event = this.#buffer.shift()) {
      try {
        metrics.writes.inc({ kind: 'Event', verb: 'create' });
        await core.createNamespacedEvent({
          namespace: event.metadata.namespace ?? '',
          body: event,
        });
      } catch (err) {
        logger.warn({ reason: event.reason, error: describeError(err) }, 'could not record event');
      }
    }
  }

  #forgetOld(now: number, throttleMs: number): void {
    if (this.#recent.size < 1000) return;
    for (const [key, at] of this.#recent) if (now - at >= throttleMs) this.#recent.delete(key);
  }
}
