// What the service worker may do with a request, as a pure function so it is unit-tested without
// a browser. The worker (sw.ts) only follows these answers.

/** Paths the worker never answers from a cache: the APIs, sign-in callbacks, keys, discovery. */
const networkOnlyPrefixes = ['/api', '/.well-known'];

export function isNetworkOnlyPath(pathname: string): boolean {
  return networkOnlyPrefixes.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

export type Decision =
  /** Leave it to the browser and the network; nothing is read from or written to a cache. */
  | 'network'
  /** A build file the worker cached at install (hashed assets, icons, theme-init.js). */
  | 'precached'
  /** A page of the single-page app: answer with the cached index.html. */
  | 'app-shell';

export interface RequestLike {
  url: string;
  method: string;
  mode: string;
}

export function decide(
  request: RequestLike,
  origin: string,
  precached: ReadonlySet<string>,
): Decision {
  if (request.method !== 'GET') return 'network';
  const url = new URL(request.url);
  if (url.origin !== origin) return 'network';
  // Before anything else: an OIDC callback or a JSON endpoint must never get the app shell or a
  // stale answer, whatever the request mode.
  if (isNetworkOnlyPath(url.pathname)) return 'network';
  if (precached.has(url.pathname)) return 'precached';
  if (request.mode === 'navigate') return 'app-shell';
  return 'network';
}

/** Build files worth installing: not source maps, not Vite's manifest, not the worker itself. */
export function isPrecacheable(url: string): boolean {
  const path = `/${url.replace(/^\//, '').split(/[?#]/)[0] ?? ''}`;
  return (
    !isNetworkOnlyPath(path) &&
    !path.endsWith('.map') &&
    !path.startsWith('/.vite/') &&
    path !== '/sw.js'
  );
}
