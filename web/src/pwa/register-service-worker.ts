/**
 * Registers the app-shell worker (sw.ts) in production builds only: in development Vite serves
 * live modules that a worker must not cache. Registration waits for the page's load event so the
 * worker's install downloads never compete with the first render.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
      // No worker (private mode, blocked storage): the app simply runs without the offline shell.
    });
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
