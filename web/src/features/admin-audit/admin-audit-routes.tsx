import type { RouteObject } from 'react-router';

/** `/admin/audit`, its own chunk. */
export const adminAuditRoutes: RouteObject[] = [
  {
    path: 'audit',
    lazy: async () => ({
      Component: (await import('./components/audit-page.tsx')).AuditPage,
    }),
  },
];
