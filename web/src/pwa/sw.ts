/// <reference lib="webworker" />
// The service worker: installs the app shell (index.html and the build's files) and answers page
// loads from it, so the app opens instantly and offline. The APIs and /.well-known are never
// cached or intercepted (sw-policy.ts decides). Built by vite-plugin-pwa (injectManifest), which
// replaces self.__WB_MANIFEST with the build's file list and their revisions.
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  matchPrecache,
  precache,
  type PrecacheEntry,
} from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { decide, isPrecacheable } from './sw-policy.ts';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: (PrecacheEntry | string)[];
};

const entries = self.__WB_MANIFEST.filter((e) => isPrecacheable(typeof e === 'string' ? e : e.url));
const precached = new Set(
  entries.map((e) => new URL(typeof e === 'string' ? e : e.url, self.location.href).pathname),
);

precache(entries);
// Caches of older builds go once this worker activates. No skipWaiting: a tab still running the
// previous build keeps its own chunks until it is closed.
cleanupOutdatedCaches();

const shell = createHandlerBoundToURL('/index.html');
const decision = (request: Request) => decide(request, self.location.origin, precached);

registerRoute(({ request }) => decision(request) === 'app-shell', shell);
registerRoute(
  ({ request }) => decision(request) === 'precached',
  async ({ request }) => (await matchPrecache(request)) ?? fetch(request),
);
// Anything else has no route: the browser fetches it as if there were no worker.
