/** Only same-app paths: never `//host` or an absolute URL (open redirect). */
export function safeReturnTo(value: string | null): string {
  if (!value?.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  return value;
}

export function signInPath(returnTo: string, expired: boolean): string {
  const params = new URLSearchParams({ returnTo });
  if (expired) params.set('reason', 'expired');
  return `/login?${params.toString()}`;
}
