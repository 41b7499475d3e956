import { useTranslation } from 'react-i18next';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { LoginPage } from '../features/session/components/login-page.tsx';
import { RequireSession } from '../features/session/components/require-session.tsx';
import { adminAuditRoutes } from '../features/admin-audit/admin-audit-routes.tsx';
import { adminRolesRoutes } from '../features/admin-roles/admin-roles-routes.tsx';
import { adminRoute } from '../features/admin-shell/admin-route.tsx';
import { adminUsersRoutes } from '../features/admin-users/admin-users-routes.tsx';
import { Layout } from './layout.tsx';
import { selfServiceRoutes } from './self-service-routes.tsx';

/** Shown while the first page's chunk loads on a direct visit to a lazy URL. */
function FirstPageLoading() {
  const { t } = useTranslation();
  return <p role="status">{t('app.loading')}</p>;
}

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    HydrateFallback: FirstPageLoading,
    children: [
      { path: 'login', element: <LoginPage /> },
      // Sign-in is the only page in the first download (docs/web-delivery.md has the budget);
      // every other page is its own chunk, fetched when its URL is first opened.
      {
        path: 'register',
        lazy: async () => ({
          Component: (await import('../features/account/components/register-page.tsx'))
            .RegisterPage,
        }),
      },
      {
        path: 'forgot-password',
        lazy: async () => ({
          Component: (await import('../features/account/components/forgot-password-page.tsx'))
            .ForgotPasswordPage,
        }),
      },
      {
        path: 'reset-password',
        lazy: async () => ({
          Component: (await import('../features/account/components/reset-password-page.tsx'))
            .ResetPasswordPage,
        }),
      },
      {
        path: 'verify-email',
        lazy: async () => ({
          Component: (await import('../features/account/components/verify-email-page.tsx'))
            .VerifyEmailPage,
        }),
      },
      {
        element: <RequireSession />,
        children: [
          {
            index: true,
            lazy: async () => ({
              Component: (await import('../features/session/components/home-page.tsx')).HomePage,
            }),
          },
          adminRoute([...adminUsersRoutes, ...adminRolesRoutes, ...adminAuditRoutes]),
          ...selfServiceRoutes,
        ],
      },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}
