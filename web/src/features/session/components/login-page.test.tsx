import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { initI18n } from '../../../i18n/i18n.ts';
import { bearerOf, json, mockFetch, type Call } from '../../../test/fetch-mock.ts';
import { renderApp } from '../../../test/render-app.tsx';
import { session } from '../../../lib/session/session-manager.ts';

const user = { id: 'u1', email: 'ada@example.com', role: 'user' };
const me = {
  ...user,
  permissions: [],
  status: 'active',
  emailVerified: true,
  mfaEnabled: true,
  firstName: 'Ada',
  lastName: 'Lovelace',
  createdAt: '2025-01-02T03:04:05Z',
};
const bodyOf = (call: Call | undefined) => JSON.parse(String(call?.init.body)) as unknown;

beforeAll(async () => {
  await initI18n('en');
});

afterEach(() => {
  session.clear();
  vi.unstubAllGlobals();
});

describe('LoginPage', () => {
  it('when the password step asks for MFA, then the code step signs in and returns to the page the user was on', async () => {
    const calls = mockFetch((call) => {
      if (call.url === '/api/v1/auth/login')
        return json(200, { mfaRequired: true, mfaToken: 'mfa-1' });
      if (call.url === '/api/v1/auth/login/mfa') {
        return (bodyOf(call) as { code: string }).code === '123456'
          ? json(200, { accessToken: 'at-1', expiresIn: 900, tokenType: 'Bearer', user })
          : json(401, { code: 'auth.invalid_mfa_code' });
      }
      if (call.url === '/api/v1/auth/me') return json(200, me);
      return json(404, { code: 'http.not_found' });
    });
    const router = renderApp('/login?returnTo=%2F');
    const ui = userEvent.setup();

    await ui.type(screen.getByLabelText('Email'), 'ada@example.com');
    await ui.type(screen.getByLabelText('Password'), 'correct horse battery staple');
    await ui.click(screen.getByRole('button', { name: 'Sign in' }));

    const heading = await screen.findByRole('heading', { name: 'Two-step verification' });
    expect(heading).toHaveFocus();
    expect(bodyOf(calls.find((c) => c.url === '/api/v1/auth/login'))).toEqual({
      email: 'ada@example.com',
      password: 'correct horse battery staple',
    });

    await ui.type(screen.getByLabelText('Verification code'), '000000');
    await ui.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The code is incorrect. Please try again.',
    );

    await ui.clear(screen.getByLabelText('Verification code'));
    // Pasted codes often carry spaces; they are trimmed before sending.
    await ui.type(screen.getByLabelText('Verification code'), ' 123456 ');
    await ui.click(screen.getByRole('button', { name: 'Verify' }));

    expect(
      await screen.findByRole('heading', { name: 'Welcome, Ada Lovelace' }),
    ).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/');
    expect(bodyOf(calls.findLast((c) => c.url === '/api/v1/auth/login/mfa'))).toEqual({
      mfaToken: 'mfa-1',
      code: '123456',
    });
    const meCall = calls.find((c) => c.url === '/api/v1/auth/me');
    expect(meCall && bearerOf(meCall)).toBe('Bearer at-1');
  });

  it('when the server refuses the credentials, then its error code is shown translated', async () => {
    mockFetch(() => json(401, { code: 'auth.invalid_credentials' }));
    renderApp('/login');
    const ui = userEvent.setup();

    await ui.type(screen.getByLabelText('Email'), 'ada@example.com');
    await ui.type(screen.getByLabelText('Password'), 'wrong');
    await ui.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The email or password is incorrect.',
    );
  });

  it('when the email is malformed and the password empty, then both fields say why and nothing is sent', async () => {
    const calls = mockFetch(() => json(500, {}));
    renderApp('/login');
    const ui = userEvent.setup();

    await ui.type(screen.getByLabelText('Email'), 'ada@example');
    await ui.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByText('Enter a valid email address.')).toBeInTheDocument();
    expect(screen.getByText('This field is required.')).toBeInTheDocument();
    expect(screen.getByLabelText('Email')).toHaveAttribute('aria-invalid', 'true');
    expect(calls.filter((c) => c.url === '/api/v1/auth/login')).toHaveLength(0);
  });

  it('when a signed-out user opens a private page, then they land on sign-in with returnTo', async () => {
    mockFetch(() => json(401, { code: 'auth.refresh_token_required' }));
    const router = renderApp('/?tab=1');

    expect(
      await screen.findByRole('heading', { name: 'Sign in to your account' }),
    ).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    expect(new URLSearchParams(router.state.location.search).get('returnTo')).toBe('/?tab=1');
  });
});
