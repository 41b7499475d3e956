import { createBrowserRouter, type RouteObject } from 'react-router';
import { ForgotPasswordPage } from '../features/account/components/forgot-password-page.tsx';
import { RegisterPage } from '../features/account/components/register-page.tsx';
import { ResetPasswordPage } from '../features/account/components/reset-password-page.tsx';
import { VerifyEmailPage } from '../features/account/components/verify-email-page.tsx';
import { HomePage } from '../features/session/components/home-page.tsx';
import { LoginPage } from '../features/session/components/login-page.tsx';
import { RequireSession } from '../features/session/components/require-session.tsx';
import { adminRoute } from '../features/admin/admin-route.tsx';
import { Layout } from './layout.tsx';

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { path: 'login', element: <LoginPage /> },
      { path: 'register', element: <RegisterPage /> },
      { path: 'forgot-password', element: <ForgotPasswordPage /> },
      { path: 'reset-password', element: <ResetPasswordPage /> },
      { path: 'verify-email', element: <VerifyEmailPage /> },
      {
        element: <RequireSession />,
        children: [{ index: true, element: <HomePage /> }, adminRoute],
      },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}
