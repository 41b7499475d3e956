// The browser's return from an external provider (services/auth/src/routes/oidc-routes.ts):
// signed in means a refresh cookie was set; MFA needed means `#mfaRequired=true` plus a short-lived,
// readable cookie holding the mfaToken, which is read once and deleted at once.
const MFA_COOKIES = ['__Host-ums_oidc_mfa', 'ums_oidc_mfa'] as const;

export function isMfaFragment(hash: string): boolean {
  return new URLSearchParams(hash.replace(/^#/, '')).get('mfaRequired') === 'true';
}

export function takeOidcMfaToken(): string | null {
  let token: string | null = null;
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if ((MFA_COOKIES as readonly string[]).includes(name ?? '') && rest.length > 0) {
      token ??= decodeURIComponent(rest.join('='));
    }
  }
  // Same attributes as when set, or the browser keeps it (a __Host- cookie needs Secure).
  document.cookie = '__Host-ums_oidc_mfa=; Max-Age=0; Path=/; Secure; SameSite=Strict';
  document.cookie = 'ums_oidc_mfa=; Max-Age=0; Path=/; SameSite=Strict';
  return token || null;
}
