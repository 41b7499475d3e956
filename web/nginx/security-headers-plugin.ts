import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';
import { extendCsp, nginxSecurityHeaders } from './security-headers.ts';

/** Paths the dev and preview servers hand to the gateway: their answers keep the API's headers. */
export const PROXIED_PATH = /^\/(api|api-docs|\.well-known)(\/|$)/;

/**
 * The image's nginx headers on everything the Vite dev and preview servers serve themselves.
 *
 * `vite preview` serves the production build, which needs nothing inline: nginx's CSP exactly.
 * The dev server injects what a build does not: React Refresh's inline preamble and `<style>`
 * elements for imported CSS. Rather than `'unsafe-inline'`, Vite's `html.cspNonce` puts a nonce
 * on every script and style tag of the page and on the styles its client adds later, and the CSP
 * allows that nonce (for `script-src` and `style-src` only; every other directive is nginx's).
 * The nonce is drawn once per dev-server start, not per response: Vite writes it into the page
 * it caches, and it guards a development server on loopback. `connect-src` also names the HMR
 * socket. Nothing is added for `vite preview`.
 */
export function securityHeaders(): Plugin {
  const headers = nginxSecurityHeaders();
  const nonce = randomBytes(16).toString('base64');
  const devHeaders = (port: number | undefined) => ({
    ...headers,
    'Content-Security-Policy': extendCsp(headers['Content-Security-Policy'] ?? '', {
      'script-src': [`'nonce-${nonce}'`],
      'style-src': [`'nonce-${nonce}'`],
      // Vite's HMR socket goes to the dev server's own port, also from a page the gateway proxied
      // (:8000), where 'self' would not cover it.
      ...(port === undefined
        ? {}
        : { 'connect-src': [`ws://localhost:${port}`, `ws://127.0.0.1:${port}`] }),
    }),
  });
  const setAll =
    (values: () => Readonly<Record<string, string>>) =>
    (req: IncomingMessage, res: ServerResponse, next: () => void) => {
      if (!PROXIED_PATH.test((req.url ?? '/').split('?')[0] ?? '/'))
        for (const [name, value] of Object.entries(values())) res.setHeader(name, value);
      next();
    };
  return {
    name: 'ums-security-headers',
    config(_config, { command }) {
      return command === 'serve' ? { html: { cspNonce: nonce } } : undefined;
    },
    configureServer(server) {
      let values: Readonly<Record<string, string>> | undefined;
      server.middlewares.use(
        setAll(() => {
          const address = server.httpServer?.address();
          values ??= devHeaders(typeof address === 'object' && address ? address.port : undefined);
          return values;
        }),
      );
    },
    configurePreviewServer(server) {
      server.middlewares.use(setAll(() => headers));
    },
  };
}
