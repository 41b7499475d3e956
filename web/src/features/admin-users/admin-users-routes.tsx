import type { RouteObject } from 'react-router';

/** `/admin` (the overview), `/admin/users` and `/admin/users/:id`, each page its own chunk. */
export const adminUsersRoutes: RouteObject[] = [
  {
    index: true,
    lazy: async () => ({
      Component: (await import('./components/overview-page.tsx')).OverviewPage,
    }),
  },
  {
    path: 'users',
    lazy: async () => ({
      Component: (await import('./components/users-page.tsx')).UsersPage,
    }),
  },
  {
    path: 'users/:id',
    lazy: async () => ({
      Component: (await import('./components/user-detail-page.tsx')).UserDetailPage,
    }),
  },
];
