import { useMutation } from '@tanstack/react-query';
import { localDateStamp, saveBlob } from '../../../lib/download.ts';
import { toApiError } from '../../../lib/http.ts';
import { session } from '../../../lib/session/session-manager.ts';

export const AUTH_EXPORT_PATH = '/api/v1/auth/me/export';
export const PROFILE_EXPORT_PATH = '/api/v1/users/me/export';

async function exportOf(path: string): Promise<unknown> {
  // Both answer a JSON attachment (Content-Disposition); the body is read as JSON all the same.
  const response = await session.fetch(path, {
    headers: { Accept: 'application/json, application/problem+json' },
  });
  if (!response.ok) throw await toApiError(response);
  return response.json();
}

export interface MyDataDocument {
  exportedAt: string;
  auth: unknown;
  profile: unknown;
}

/** Both services' exports of the caller, merged into one document. */
export async function exportMyData(now: Date = new Date()): Promise<MyDataDocument> {
  const [auth, profile] = await Promise.all([
    exportOf(AUTH_EXPORT_PATH),
    exportOf(PROFILE_EXPORT_PATH),
  ]);
  return { exportedAt: now.toISOString(), auth, profile };
}

/** Saves `my-data-<YYYY-MM-DD>.json`. */
export async function downloadMyData(): Promise<void> {
  const now = new Date();
  const document = await exportMyData(now);
  const blob = new Blob([JSON.stringify(document, null, 2)], { type: 'application/json' });
  saveBlob(blob, `my-data-${localDateStamp(now)}.json`);
}

export function useDownloadMyData() {
  return useMutation({ mutationFn: downloadMyData });
}
