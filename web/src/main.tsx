import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { createQueryClient } from './app/query-client.ts';
import { createAppRouter } from './app/router.tsx';
import { i18n, initI18n, savedLanguage } from './i18n/i18n.ts';
import { registerServiceWorker } from './pwa/register-service-worker.ts';
import './styles.css';

// zod (in the lazy pages' chunks) probes `new Function` to compile faster parsers; under our CSP
// (script-src 'self', no 'unsafe-eval') the probe is a reported violation and a console error.
// zod reads its config from this global when it loads, so `jitless` is set without importing
// zod into the first download. scripts/src/web-delivery/pwa-browser.test.ts catches a zod
// version that stops reading it.
(globalThis as { __zod_globalConfig?: object }).__zod_globalConfig = { jitless: true };

const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from index.html');

await initI18n(savedLanguage());

createRoot(container).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={createQueryClient()}>
        <RouterProvider router={createAppRouter()} />
      </QueryClientProvider>
    </I18nextProvider>
  </StrictMode>,
);

registerServiceWorker();
