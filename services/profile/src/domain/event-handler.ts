import type { AuditRepository } from '../data/audit-repository.ts';
import type { ProfilesRepository } from '../data/profiles-repository.ts';
import { auditFromEvent } from './audit.ts';
import { accountSnapshotOf, deletedUserOf, type StreamEvent } from './events.ts';
import type { AvatarMeta } from './profile-model.ts';

export type HandleResult = 'applied' | 'duplicate';

/**
 * Applies one event: the read model (create, update, erase) and then the audit entry. Every step
 * is idempotent on its own and the audit entry (keyed by event id) is written last, so it marks
 * the event as fully handled: an event whose entry exists is skipped outright, and one that
 * failed half-way is completed by its redelivery without doubling anything. Unknown event types
 * become audit entries only.
 */
export function createEventHandler(deps: {
  profiles: ProfilesRepository;
  audit: AuditRepository;
  removeAvatarObjects: (avatar: AvatarMeta) => Promise<void>;
  retentionDays: number;
}) {
  const { profiles, audit } = deps;

  async function erase(userId: string): Promise<void> {
    // Files first: once the document is gone nothing would point at them any more.
    const current = await profiles.findById(userId);
    if (current?.avatar) await deps.removeAvatarObjects(current.avatar);
    await profiles.erase(userId);
    await audit.erasePersonalData(userId);
  }

  return async function handle(event: StreamEvent): Promise<HandleResult> {
    if (await audit.exists(event.eventId)) return 'duplicate';
    let erased = false;
    if (event.type === 'user.deleted') {
      const userId = deletedUserOf(event);
      if (userId) {
        await erase(userId);
        erased = true;
      }
    } else {
      const snapshot = accountSnapshotOf(event);
      if (snapshot) {
        const result = await profiles.applyAccountSnapshot(snapshot, {
          at: event.occurredAt,
          position: event.position,
        });
        erased = result === 'erased';
      } else if (event.aggregateId && !event.type.startsWith('role.')) {
        erased = await profiles.isErased(event.aggregateId);
      }
    }
    const entry = auditFromEvent(event, { retentionDays: deps.retentionDays, erased });
    return (await audit.insert(entry)) ? 'applied' : 'duplicate';
  };
}

export type EventHandler = ReturnType<typeof createEventHandler>;
