import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { gatewayNamespaces } from '@ums/contracts/paths';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig } from 'vitest/config';
import { securityHeaders } from './nginx/security-headers-plugin.ts';

const gateway = `http://127.0.0.1:${process.env.GATEWAY_PORT ?? '8000'}`;
// changeOrigin stays false: the auth service checks the browser's Origin on cookie refreshes.
const proxy = { target: gateway, changeOrigin: false };
// The gateway's namespaces, whole path segments only (a plain key is a string prefix): `/apix`
// proxied there would come back, as the gateway hands every path it does not own to this server.
const proxied = Object.fromEntries(
  gatewayNamespaces.map((path) => [`^${path.replaceAll('.', '\\.')}(/|$)`, proxy]),
);

// What the dev server may read from disk (`/@fs/...`, `?raw`, `?url`): the app and the packages
// it imports, never the rest of the repository. The default would be the whole npm workspace,
// `.local/env` and `.local/data/*.secret` (database and Redis passwords, the key-encryption key)
// included. `deny` wins over `allow` and replaces Vite's default list, repeated here.
const app = fileURLToPath(new URL('.', import.meta.url));
// @ums/contracts is linked from node_modules; Vite serves it from where the link points.
const contracts = fileURLToPath(new URL('../services/contracts/src', import.meta.url));
const fileAccess = {
  strict: true,
  allow: [app, contracts, fileURLToPath(new URL('../node_modules', import.meta.url))],
  deny: [
    ...['.env', '.env.*', '*.{crt,pem,key,p12,pfx,cer,der}', '.npmrc', '.yarnrc.yml', '**/.git/**'],
    '*.secret',
    '**/.local/**',
  ],
};

// The first download (docs/web-delivery.md): libraries every page needs get one chunk each, as
// they change far less often than the app, so a deploy invalidates only the app's chunk; the app
// code the entry imports is one chunk rather than a dozen tiny ones. `$initial` limits each group
// to the entry's static graph: what only lazy pages use (zod, charts) stays in lazy chunks.
const initial = (name: string, test: RegExp) => ({ name, test, tags: ['$initial' as const] });
const vendor = (name: string, packages: string[]) =>
  initial(name, new RegExp(`/node_modules/(${packages.join('|')})/`));
const firstDownload = [
  vendor('react', ['react', 'react-dom', 'scheduler']),
  vendor('router', ['react-router']),
  vendor('query', ['@tanstack/query-core', '@tanstack/react-query']),
  vendor('i18n', ['i18next', 'react-i18next']),
  vendor('forms', ['react-hook-form']),
  initial('app', /\/(web|services\/contracts)\/src\//),
];

export default defineConfig({
  plugins: [
    // The image's nginx headers (CSP, X-Frame-Options, nosniff...) on the dev and preview servers.
    securityHeaders(),
    react(),
    tailwindcss(),
    // The app-shell worker (src/pwa/sw.ts, docs/web-delivery.md). The web manifest is the static
    // public/manifest.webmanifest and registration is ours (src/pwa), so the plugin only builds
    // the worker and injects the list of build files into it.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/pwa',
      filename: 'sw.ts',
      manifest: false,
      injectRegister: false,
      injectManifest: {
        globPatterns: ['**/*.{html,js,css,svg,png,webmanifest}'],
        globIgnores: ['**/*.map', '.vite/**', 'sw.js'],
      },
    }),
  ],
  server: { proxy: proxied, fs: fileAccess },
  // The dev server pre-bundles every dependency any page uses at start-up: discovering one later
  // (the first visit to a lazy page) makes Vite re-bundle and reload the open page mid-use.
  optimizeDeps: {
    entries: ['index.html', 'src/**/*.{ts,tsx}', '!src/**/*.test.{ts,tsx}', '!src/test/**'],
  },
  preview: { proxy: proxied },
  build: {
    target: 'es2022',
    // Maps are written for error tracking but not referenced from the served files.
    sourcemap: 'hidden',
    // The manifest lets bench/web/bundle-size.ts and the nginx test find the entry's import graph.
    manifest: true,
    rolldownOptions: { output: { codeSplitting: { groups: firstDownload } } },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
