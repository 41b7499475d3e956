import { useEffect, useState } from 'react';

function readToken(): string | null {
  return new URLSearchParams(window.location.hash.slice(1)).get('token');
}

/**
 * Reads `#token=...` once. Mail links carry tokens in the fragment so they never reach a server
 * log or a Referer; once read, the fragment is dropped from the address bar and history.
 */
export function useFragmentToken(): string | null {
  // The initializer stays pure (StrictMode may call it twice); the URL is cleaned in an effect.
  const [token] = useState(readToken);
  useEffect(() => {
    if (!readToken()) return;
    const { pathname, search } = window.location;
    window.history.replaceState(window.history.state, '', pathname + search);
  }, []);
  return token;
}
