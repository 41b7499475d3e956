import type { RouteObject } from 'react-router';

// The signed-in user's own pages (mounted under RequireSession). Each is its own lazy chunk, so
// nothing here (the QR code library included) weighs on the sign-in page's first download.
export const selfServiceRoutes: RouteObject[] = [
  {
    path: 'profile',
    lazy: async () => ({
      Component: (await import('../features/profile/components/profile-page.tsx')).ProfilePage,
    }),
  },
  {
    path: 'preferences',
    lazy: async () => ({
      Component: (await import('../features/preferences/components/preferences-page.tsx'))
        .PreferencesPage,
    }),
  },
  {
    path: 'security',
    lazy: async () => ({
      Component: (await import('../features/security/components/security-page.tsx')).SecurityPage,
    }),
  },
  {
    path: 'privacy',
    lazy: async () => ({
      Component: (await import('../features/privacy/components/privacy-page.tsx')).PrivacyPage,
    }),
  },
];
