import { useMutation } from '@tanstack/react-query';
import { saveBlob } from '../../../lib/download.ts';
import { toApiError } from '../../../lib/http.ts';
import { session } from '../../../lib/session/session-manager.ts';

export type ExportFormat = 'csv' | 'json';

/** The file name the server gave in `Content-Disposition`, else a sensible one. */
export function fileNameOf(response: Response, fallback: string): string {
  const header = response.headers.get('Content-Disposition') ?? '';
  const match = /filename="?([^";]+)"?/i.exec(header);
  const name = match?.[1]?.trim();
  // Only a plain file name: no folders, whatever the header says.
  return name && /^[\w.-]+$/.test(name) ? name : fallback;
}

/** Fetches an export with the bearer token and saves it as a file; answers the file name. */
export async function downloadExport(path: string, fallbackName: string): Promise<string> {
  const response = await session.fetch(path, {
    headers: { Accept: 'text/csv, application/json, application/problem+json' },
  });
  if (!response.ok) throw await toApiError(response);
  const fileName = fileNameOf(response, fallbackName);
  saveBlob(await response.blob(), fileName);
  return fileName;
}

export function useDownloadExport() {
  return useMutation({
    mutationFn: ({ path, fallbackName }: { path: string; fallbackName: string }) =>
      downloadExport(path, fallbackName),
  });
}
