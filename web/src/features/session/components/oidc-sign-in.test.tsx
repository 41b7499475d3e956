import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { initI18n } from '../../../i18n/i18n.ts';
import { session } from '../../../lib/session/session-manager.ts';
import { json, mockFetch, type Call } from '../../../test/fetch-mock.ts';
import { renderApp } from '../../../test/render-app.tsx';
import { testMe, testProfile, testUser } from '../../../test/signed-in.ts';

const bodyOf = (call: Call | undefined) => JSON.parse(String(call?.init.body)) as unknown;
const tokens = { accessToken: 'at-oidc', expiresIn: 900, tokenType: 'Bearer', user: testUser };
const notFound = () => json(404, { code: 'http.not_found' });

beforeAll(async () => {
  await initI18n('en');
});

afterEach(() => {
  session.clear();
  vi.unstubAllGlobals();
  document.cookie = 'ums_oidc_mfa=; Max-Age=0; Path=/';
});

describe('Sign-in with external providers', () => {
  it('when providers are configured, then each has a link to its authorize URL that returns to sign-in', async () => {
    mockFetch((call) =>
      call.url === '/api/v1/auth/oidc/providers'
        ? json(200, [
            { id: 'corp', name: 'Corporate SSO' },
            { id: 'google', name: 'Google' },
          ])
        : notFound(),
    );
    renderApp('/login?returnTo=%2Fprofile');

    const corp = await screen.findByRole('link', { name: 'Continue with Corporate SSO' });
    expect(screen.getByRole('link', { name: 'Continue with Google' })).toBeInTheDocument();
    const href = new URL(corp.getAttribute('href') ?? '', 'http://app.test');
    expect(href.pathname).toBe('/api/v1/auth/oidc/corp/authorize');
    expect(href.searchParams.get('returnTo')).toBe('/login?oidc=1&returnTo=%2Fprofile');
  });

  it.each([
    ['the list is empty', () => json(200, [])],
    ['the call fails', () => json(503, { code: 'http.unavailable' })],
  ])('when %s, then no provider button is shown', async (_, answer) => {
    const calls = mockFetch((call) =>
      call.url === '/api/v1/auth/oidc/providers' ? answer() : notFound(),
    );
    renderApp('/login');

    await waitFor(() =>
      expect(calls.some((c) => c.url === '/api/v1/auth/oidc/providers')).toBe(true),
    );
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Continue with/ })).toBeNull();
  });

  it('when the provider sends the browser back signed in, then the session comes from the refresh cookie and the wanted page opens', async () => {
    const calls = mockFetch((call) => {
      if (call.url === '/api/v1/auth/refresh') return json(200, tokens);
      if (call.url === '/api/v1/users/me') return json(200, testProfile());
      if (call.url === '/api/v1/auth/me') return json(200, testMe);
      return notFound();
    });
    const router = renderApp('/login?oidc=1&returnTo=%2F');

    expect(
      await screen.findByRole('heading', { name: 'Welcome, Ada Lovelace' }),
    ).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/');
    expect(calls.find((c) => c.url === '/api/v1/auth/refresh')?.init).toMatchObject({
      method: 'POST',
      credentials: 'include',
    });
  });

  it('when no session came back, then the failure is announced and the sign-in form is offered', async () => {
    mockFetch((call) =>
      call.url === '/api/v1/auth/refresh'
        ? json(401, { code: 'auth.refresh_token_required' })
        : notFound(),
    );
    renderApp('/login?oidc=1&returnTo=%2F');

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Sign-in with the external provider did not complete.',
    );
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('when the provider sign-in needs MFA, then the mfaToken cookie is taken once and the code step signs in', async () => {
    document.cookie = 'ums_oidc_mfa=mfa-from-cookie; Path=/';
    const calls = mockFetch((call) => {
      if (call.url === '/api/v1/auth/login/mfa') return json(200, tokens);
      if (call.url === '/api/v1/users/me') return json(200, testProfile());
      if (call.url === '/api/v1/auth/me') return json(200, testMe);
      return notFound();
    });
    const router = renderApp('/login?oidc=1&returnTo=%2F#mfaRequired=true');
    const ui = userEvent.setup();

    await ui.type(await screen.findByLabelText('Verification code'), '123456');
    expect(document.cookie).not.toContain('ums_oidc_mfa=mfa-from-cookie');
    await ui.click(screen.getByRole('button', { name: 'Verify' }));

    expect(await screen.findByRole('heading', { name: /Welcome/ })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/');
    expect(bodyOf(calls.find((c) => c.url === '/api/v1/auth/login/mfa'))).toEqual({
      mfaToken: 'mfa-from-cookie',
      code: '123456',
    });
  });

  it('when sign-in is opened with an error code, then it is shown translated', async () => {
    mockFetch(() => notFound());
    renderApp('/login?error=auth.oidc_email_unverified');

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The provider has not verified your email address.',
    );
  });
});
