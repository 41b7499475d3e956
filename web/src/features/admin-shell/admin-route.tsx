import type { RouteObject } from 'react-router';
import { loadAdminStrings } from './admin-strings.ts';

/**
 * `/admin`: the console's layout around the pages of the admin features (app/router.tsx passes
 * their route tables). Only these tables are in the main bundle: the layout, every page and the
 * console's strings are chunks fetched when an /admin URL is first opened.
 */
export function adminRoute(children: RouteObject[]): RouteObject {
  return {
    path: 'admin',
    lazy: async () => {
      const [layout] = await Promise.all([
        import('./components/admin-layout.tsx'),
        loadAdminStrings(),
      ]);
      return { Component: layout.AdminLayout };
    },
    children,
  };
}
