import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { toApiError } from '../../../lib/http.ts';
import { ownProfileQueryOptions, type OwnProfile } from '../../../lib/profile/own-profile.ts';
import { session } from '../../../lib/session/session-manager.ts';

export const AVATAR_PATH = '/api/v1/users/me/avatar';
/** The server's default AVATAR_MAX_BYTES (5 MiB); it stays the judge and answers 413 above its own. */
export const AVATAR_MAX_BYTES = 5 * 1024 * 1024;
/** What the server accepts (it checks the bytes, not this type): PNG, JPEG, WebP, GIF. */
export const AVATAR_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;

export async function uploadAvatar(file: File): Promise<{ avatarUrl: string }> {
  const body = new FormData();
  body.append('avatar', file, file.name);
  const response = await session.fetch(AVATAR_PATH, {
    method: 'PUT',
    body,
    headers: { Accept: 'application/json, application/problem+json' },
  });
  if (!response.ok) throw await toApiError(response);
  return (await response.json()) as { avatarUrl: string };
}

export async function removeAvatar(): Promise<void> {
  const response = await session.fetch(AVATAR_PATH, { method: 'DELETE' });
  if (!response.ok) throw await toApiError(response);
}

/** The served avatar (it needs the bearer token, so an `<img src>` cannot load it directly). */
export async function getAvatarImage(avatarUrl: string): Promise<Blob> {
  const response = await session.fetch(avatarUrl);
  if (!response.ok) throw await toApiError(response);
  return response.blob();
}

export const avatarImageQueryOptions = (avatarUrl: string) =>
  queryOptions({
    queryKey: ['profile', 'avatar', avatarUrl],
    queryFn: () => getAvatarImage(avatarUrl),
    // The URL changes with every upload, so an image never goes stale.
    staleTime: Infinity,
  });

export function useAvatarImage(avatarUrl: string | null) {
  return useQuery({
    ...avatarImageQueryOptions(avatarUrl ?? ''),
    enabled: avatarUrl !== null,
  });
}

function useSetAvatarUrl() {
  const queryClient = useQueryClient();
  return (avatarUrl: string | null) =>
    queryClient.setQueryData<OwnProfile>(ownProfileQueryOptions.queryKey, (profile) =>
      profile ? { ...profile, avatarUrl } : profile,
    );
}

export function useUploadAvatar() {
  const setAvatarUrl = useSetAvatarUrl();
  return useMutation({
    mutationFn: uploadAvatar,
    onSuccess: ({ avatarUrl }) => setAvatarUrl(avatarUrl),
  });
}

export function useRemoveAvatar() {
  const setAvatarUrl = useSetAvatarUrl();
  return useMutation({ mutationFn: removeAvatar, onSuccess: () => setAvatarUrl(null) });
}
