import type { RouteObject } from 'react-router';

/** `/admin/roles`, its own chunk. */
export const adminRolesRoutes: RouteObject[] = [
  {
    path: 'roles',
    lazy: async () => ({
      Component: (await import('./components/roles-page.tsx')).RolesPage,
    }),
  },
];
