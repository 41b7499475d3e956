import { useSyncExternalStore } from 'react';
import { session, type SessionSnapshot } from './session-manager.ts';

export function useSession(): SessionSnapshot {
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}
