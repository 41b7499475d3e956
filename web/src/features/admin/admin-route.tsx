import type { RouteObject } from 'react-router';
import { loadAdminStrings } from './admin-strings.ts';

// Only this small table is in the main bundle: every admin page (and the chart) is a separate
// chunk fetched when an /admin URL is first opened, together with the console's strings.
export const adminRoute: RouteObject = {
  path: 'admin',
  lazy: async () => {
    const [layout] = await Promise.all([
      import('./components/admin-layout.tsx'),
      loadAdminStrings(),
    ]);
    return { Component: layout.AdminLayout };
  },
  children: [
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
    {
      path: 'roles',
      lazy: async () => ({
        Component: (await import('./components/roles-page.tsx')).RolesPage,
      }),
    },
    {
      path: 'audit',
      lazy: async () => ({
        Component: (await import('./components/audit-page.tsx')).AuditPage,
      }),
    },
  ],
};
