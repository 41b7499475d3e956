// The caller's profile (`/api/v1/users/me` on the profile service). Shared: the profile page edits
// it and the preferences feature reads and saves `preferences` (language, theme) through it.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PreferencesView, ProfileView } from '@ums/contracts/profile-schemas';
import { session } from '../session/session-manager.ts';

/** The fields the owner edits as text (PATCH), each a string or null. */
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

/** The part of the profile view (@ums/contracts/profile-schemas) the owner's pages use. */
export type OwnProfile = Pick<
  ProfileView,
  ProfileTextField | 'id' | 'email' | 'avatarUrl' | 'preferences' | 'updatedAt'
>;

export type ProfilePatch = Partial<Record<ProfileTextField, string | null>> & {
  preferences?: Partial<Omit<PreferencesView, 'notifications'>> & {
    notifications?: Partial<PreferencesView['notifications']>;
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
