// The caller's profile (`/api/v1/users/me` on the profile service). Shared: the profile page edits
// it and the preferences feature reads and saves `preferences` (language, theme) through it.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Language } from '../../i18n/i18n.ts';
import { session } from '../session/session-manager.ts';

export type ThemePreference = 'light' | 'dark' | 'system';

export interface NotificationPreferences {
  email: boolean;
  push: boolean;
  sms: boolean;
}

export interface ProfilePreferences {
  language: Language;
  theme: ThemePreference;
  timezone: string;
  notifications: NotificationPreferences;
}

export const profileTextFields = [
  'firstName',
  'lastName',
  'displayName',
  'bio',
  'phone',
  'location',
  'website',
  'jobTitle',
  'company',
] as const;
export type ProfileTextField = (typeof profileTextFields)[number];

export type OwnProfile = Record<ProfileTextField, string | null> & {
  id: string;
  email: string | null;
  avatarUrl: string | null;
  preferences: ProfilePreferences;
  updatedAt: string | null;
};

export type ProfilePatch = Partial<Record<ProfileTextField, string | null>> & {
  preferences?: Partial<Omit<ProfilePreferences, 'notifications'>> & {
    notifications?: Partial<NotificationPreferences>;
  };
};

export const OWN_PROFILE_PATH = '/api/v1/users/me';

export function getOwnProfile(): Promise<OwnProfile> {
  return session.request<OwnProfile>(OWN_PROFILE_PATH);
}

export function patchOwnProfile(patch: ProfilePatch): Promise<OwnProfile> {
  return session.request<OwnProfile>(OWN_PROFILE_PATH, { method: 'PATCH', body: patch });
}

export const ownProfileQueryOptions = queryOptions({
  queryKey: ['profile', 'me'],
  queryFn: getOwnProfile,
});

export function useOwnProfile(options: { enabled?: boolean } = {}) {
  return useQuery({ ...ownProfileQueryOptions, enabled: options.enabled ?? true });
}

/** PATCH, then the answer (the whole updated profile) replaces the cached one. */
export function useUpdateOwnProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: patchOwnProfile,
    onSuccess: (profile) => queryClient.setQueryData(ownProfileQueryOptions.queryKey, profile),
  });
}
