// The security headers of the image's nginx config, read from nginx.conf.template itself, so the
// local stack (the Vite dev server, the gateway's own pages) sends what production sends and the
// two cannot drift: there is one list, the template's `add_header ... always;` lines.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const template = new URL('./nginx.conf.template', import.meta.url);

/**
 * Every `add_header Name value always;` of the template, in order, but Cache-Control: caching is
 * per file in nginx (hashed assets immutable) and the dev server must keep its own.
 */
export function nginxSecurityHeaders(
  text = readFileSync(template, 'utf8'),
): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  for (const match of text.matchAll(
    /^\s*add_header\s+([\w-]+)\s+(?:"([^"]*)"|(\S+))\s+always;/gm,
  )) {
    const [, name = '', quoted, bare] = match;
    if (name.toLowerCase() !== 'cache-control') headers[name] = quoted ?? bare ?? '';
  }
  if (!headers['Content-Security-Policy']) throw new Error('no CSP found in nginx.conf.template');
  return headers;
}

/** A CSP as directive name → sources, in order. */
export function parseCsp(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => Boolean(name))
      .map(([name = '', ...sources]) => [name, sources]),
  );
}

/** The same policy with sources added to some directives (a dev nonce, an inline style's hash). */
export function extendCsp(csp: string, extra: Readonly<Record<string, readonly string[]>>): string {
  const directives = parseCsp(csp);
  for (const [name, sources] of Object.entries(extra)) {
    directives.set(name, [...(directives.get(name) ?? []), ...sources]);
  }
  return [...directives].map(([name, sources]) => [name, ...sources].join(' ')).join('; ');
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * Sources that let exactly the inline styles of one HTML page apply (Swagger UI's page has two
 * `<style>` elements and one `style` attribute): their hashes, with `'unsafe-hashes'` for the
 * attributes, never `'unsafe-inline'`.
 */
export function inlineStyleSources(html: string): string[] {
  const elements = [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? '');
  const attributes = [...html.matchAll(/\sstyle="([^"]*)"/g)].map((m) => m[1] ?? '');
  const hashes = [...new Set([...elements, ...attributes].map(sha256))];
  return attributes.length > 0 ? ["'unsafe-hashes'", ...hashes] : hashes;
}
