import { queryOptions, useQuery } from '@tanstack/react-query';
import { requestJson } from '../../../lib/http.ts';

export interface OidcProvider {
  id: string;
  name: string;
}

export const getOidcProviders = () => requestJson<OidcProvider[]>('/api/v1/auth/oidc/providers');

export const oidcProvidersQueryOptions = queryOptions({
  queryKey: ['session', 'oidc-providers'],
  queryFn: getOidcProviders,
  // Configuration: it does not change while the page is open, and no list means no buttons.
  staleTime: Infinity,
  retry: false,
});

export function useOidcProviders() {
  return useQuery(oidcProvidersQueryOptions);
}

/**
 * Where a provider button goes. The service sends the browser back to `returnTo` after the
 * provider (docs/oidc.md): this sign-in page, flagged, so it can finish the session from the
 * refresh cookie (or ask for the MFA code) and then open the page the user wanted.
 */
export function oidcAuthorizeUrl(providerId: string, returnTo: string): string {
  const landing = `/login?${new URLSearchParams({ oidc: '1', returnTo }).toString()}`;
  const query = new URLSearchParams({ returnTo: landing }).toString();
  return `/api/v1/auth/oidc/${encodeURIComponent(providerId)}/authorize?${query}`;
}
