import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { initI18n } from '../../../i18n/i18n.ts';
import { session } from '../../../lib/session/session-manager.ts';
import { bearerOf, json, mockFetch, type Call, type Route } from '../../../test/fetch-mock.ts';
import { renderApp } from '../../../test/render-app.tsx';
import { must, signInForTest, stubObjectUrls, testProfile } from '../../../test/signed-in.ts';

const bodyOf = (call: Call | undefined) => JSON.parse(String(call?.init.body)) as unknown;
const noContent = () => new Response(null, { status: 204 });
const secret = 'JBSWY3DPEHPK3PXP';
const otpauthUrl = `otpauth://totp/User%20Management:ada%40example.com?secret=${secret}&issuer=User%20Management`;
const codes = Array.from({ length: 10 }, (_, i) => `abcd-efgh-${String(i).padStart(2, '0')}`);
const sessions = [
  {
    id: '11111111-1111-4111-8111-111111111111',
    device: 'Firefox on Linux',
    userAgent: 'Mozilla/5.0',
    ipAddress: '203.0.113.5',
    createdAt: '2026-01-02T10:00:00Z',
    lastUsedAt: '2026-01-03T10:00:00Z',
    current: true,
  },
  {
    id: '22222222-2222-4222-8222-222222222222',
    device: 'Safari on iPhone',
    userAgent: null,
    ipAddress: null,
    createdAt: '2026-01-01T08:00:00Z',
    lastUsedAt: '2026-01-01T09:00:00Z',
    current: false,
  },
];

beforeAll(async () => {
  await initI18n('en');
});

afterEach(() => {
  session.clear();
  vi.unstubAllGlobals();
});

function setup(route: Route) {
  const calls = mockFetch(async (call) => {
    const answer = await route(call);
    if (answer.status !== 404) return answer;
    if (call.url === '/api/v1/users/me') return json(200, testProfile());
    if (call.url === '/api/v1/auth/sessions') return json(200, sessions);
    if (call.url === '/api/v1/auth/mfa') {
      return json(200, { enabled: false, required: false, recoveryCodesRemaining: 0 });
    }
    return answer;
  });
  signInForTest();
  const router = renderApp('/security');
  return { calls, router };
}
const notFound = () => json(404, { code: 'http.not_found' });

describe('SecurityPage: two-step verification', () => {
  it('when TOTP is set up, then the QR code and key are shown, a code turns it on and the recovery codes are shown once', async () => {
    let enabled = false;
    const { calls } = setup((call) => {
      if (call.url === '/api/v1/auth/mfa') {
        return json(200, { enabled, required: false, recoveryCodesRemaining: enabled ? 10 : 0 });
      }
      if (call.url === '/api/v1/auth/mfa/totp/setup') return json(200, { secret, otpauthUrl });
      if (call.url === '/api/v1/auth/mfa/totp/enable') {
        if ((bodyOf(call) as { code: string }).code !== '123456') {
          return json(400, { code: 'auth.invalid_mfa_code' });
        }
        enabled = true;
        return json(200, { enabled: true, recoveryCodes: codes });
      }
      return notFound();
    });
    const ui = userEvent.setup();
    const section = await screen.findByRole('region', { name: 'Two-step verification' });

    await ui.click(
      await within(section).findByRole('button', { name: 'Set up two-step verification' }),
    );

    const qr = await within(section).findByRole('img', {
      name: 'QR code for your authenticator app',
    });
    expect(qr.querySelector('path')?.getAttribute('d')).toMatch(/^M\d+ \d+h1v1h-1z/);
    expect(within(section).getByLabelText('Setup key')).toHaveValue(secret);

    await ui.type(within(section).getByLabelText('Code from your app'), '000000');
    await ui.click(within(section).getByRole('button', { name: 'Turn on' }));
    expect(await within(section).findByRole('alert')).toHaveTextContent(
      'The code is incorrect. Please try again.',
    );

    await ui.clear(within(section).getByLabelText('Code from your app'));
    await ui.type(within(section).getByLabelText('Code from your app'), '123456');
    await ui.click(within(section).getByRole('button', { name: 'Turn on' }));

    const list = await within(section).findByRole('list', { name: 'Recovery codes' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(codes);
    const setupCall = calls.find((c) => c.url === '/api/v1/auth/mfa/totp/setup');
    expect(setupCall?.init.method).toBe('POST');
    expect(bearerOf(must(setupCall))).toBe('Bearer at-1');

    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await ui.click(within(section).getByRole('button', { name: 'Copy codes' }));
    expect(writeText).toHaveBeenCalledWith(`${codes.join('\n')}\n`);
    expect(await within(section).findByText('The codes were copied.')).toBeInTheDocument();

    await ui.click(within(section).getByRole('button', { name: 'I have saved them' }));
    expect(
      await within(section).findByText('Two-step verification is on. Recovery codes left: 10.'),
    ).toBeInTheDocument();
    expect(within(section).queryByRole('list', { name: 'Recovery codes' })).toBeNull();
  });

  it('when recovery codes are downloaded, then a text file with one code per line is saved', async () => {
    const urls = stubObjectUrls();
    const click = vi
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => undefined);
    try {
      setup((call) => {
        if (call.url === '/api/v1/auth/mfa') {
          return json(200, { enabled: true, required: false, recoveryCodesRemaining: 3 });
        }
        if (call.url === '/api/v1/auth/mfa/recovery-codes') {
          return (bodyOf(call) as { password: string }).password === 'right password'
            ? json(200, { recoveryCodes: codes })
            : json(403, { code: 'auth.reauthentication_failed' });
        }
        return notFound();
      });
      const ui = userEvent.setup();

      await ui.click(await screen.findByRole('button', { name: 'Get new recovery codes' }));
      const dialog = await screen.findByRole('dialog', { name: 'Get new recovery codes?' });
      expect(within(dialog).getByLabelText('Password')).toHaveFocus();
      await ui.type(within(dialog).getByLabelText('Password'), 'wrong');
      await ui.click(within(dialog).getByRole('button', { name: 'Get new codes' }));
      expect(await within(dialog).findByRole('alert')).toHaveTextContent(
        'The password or the code is incorrect.',
      );
      await ui.clear(within(dialog).getByLabelText('Password'));
      await ui.type(within(dialog).getByLabelText('Password'), 'right password');
      await ui.click(within(dialog).getByRole('button', { name: 'Get new codes' }));

      await ui.click(await screen.findByRole('button', { name: 'Download codes' }));
      const link = click.mock.contexts[0] as HTMLAnchorElement;
      expect(link.download).toBe('recovery-codes.txt');
      expect(await urls.blobs.get(link.href)?.text()).toBe(`${codes.join('\n')}\n`);
    } finally {
      click.mockRestore();
      urls.restore();
    }
  });

  it('when TOTP is turned off, then password and code are sent and the status says it is off', async () => {
    let enabled = true;
    const { calls } = setup((call) => {
      if (call.url === '/api/v1/auth/mfa') {
        return json(200, { enabled, required: false, recoveryCodesRemaining: 4 });
      }
      if (call.url === '/api/v1/auth/mfa/totp/disable') {
        enabled = false;
        return json(200, { enabled: false });
      }
      return notFound();
    });
    const ui = userEvent.setup();

    const opener = await screen.findByRole('button', { name: 'Turn off two-step verification' });
    await ui.click(opener);
    const dialog = await screen.findByRole('dialog', { name: 'Turn off two-step verification?' });
    await ui.type(within(dialog).getByLabelText('Password'), 'secret password');
    await ui.type(within(dialog).getByLabelText('Verification code'), '654321');
    await ui.click(within(dialog).getByRole('button', { name: 'Turn off' }));

    expect(await screen.findByText('Two-step verification is off.')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(bodyOf(calls.find((c) => c.url === '/api/v1/auth/mfa/totp/disable'))).toEqual({
      password: 'secret password',
      code: '654321',
    });
  });
});

describe('SecurityPage: password and sessions', () => {
  it('when the new password breaks a rule, then it is not sent; when the current one is wrong, then that field says so', async () => {
    const { calls } = setup((call) =>
      call.url === '/api/v1/auth/password/change'
        ? json(400, { code: 'auth.invalid_current_password' })
        : notFound(),
    );
    const ui = userEvent.setup();

    await ui.type(await screen.findByLabelText('Current password'), 'old password');
    await ui.type(screen.getByLabelText('New password'), 'short');
    expect(document.querySelector('[data-rule="minLength"]')).toHaveAttribute('data-met', 'false');
    await ui.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('The password is too short.')).toBeInTheDocument();
    expect(calls.filter((c) => c.url === '/api/v1/auth/password/change')).toHaveLength(0);

    await ui.clear(screen.getByLabelText('New password'));
    await ui.type(screen.getByLabelText('New password'), 'a much longer passphrase');
    await ui.click(screen.getByRole('button', { name: 'Change password' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('The password is incorrect.');
    expect(screen.getByLabelText('Current password')).toHaveAttribute('aria-invalid', 'true');
    expect(bodyOf(calls.find((c) => c.url === '/api/v1/auth/password/change'))).toEqual({
      currentPassword: 'old password',
      newPassword: 'a much longer passphrase',
    });
  });

  it('when another session is signed out, then it is revoked by id and leaves the list; this device is marked and keeps no button', async () => {
    const { calls } = setup((call) => (call.init.method === 'DELETE' ? noContent() : notFound()));
    const ui = userEvent.setup();

    const list = await screen.findByRole('list', { name: 'Active sessions' });
    const [current, other] = within(list).getAllByRole('listitem');
    expect(current).toHaveTextContent('Firefox on Linux');
    expect(within(must(current)).getByText('This device')).toBeInTheDocument();
    expect(within(must(current)).queryByRole('button')).toBeNull();

    await ui.click(within(must(other)).getByRole('button', { name: 'Sign out Safari on iPhone' }));

    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(1));
    const revoke = calls.find((c) => c.init.method === 'DELETE');
    expect(revoke?.url).toBe('/api/v1/auth/sessions/22222222-2222-4222-8222-222222222222');
    expect(bearerOf(must(revoke))).toBe('Bearer at-1');
  });

  it('when the user signs out everywhere and confirms, then logout-all is called and sign-in says so', async () => {
    const { calls, router } = setup((call) =>
      call.url === '/api/v1/auth/logout-all' ? noContent() : notFound(),
    );
    const ui = userEvent.setup();

    await ui.click(await screen.findByRole('button', { name: 'Sign out everywhere' }));
    const dialog = await screen.findByRole('dialog', { name: 'Sign out everywhere?' });
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await ui.click(within(dialog).getByRole('button', { name: 'Sign out everywhere' }));

    expect(await screen.findByText('You were signed out on every device.')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    expect(session.getSnapshot().status).toBe('anonymous');
    const call = calls.find((c) => c.url === '/api/v1/auth/logout-all');
    expect([call?.init.method, bearerOf(must(call))]).toEqual(['POST', 'Bearer at-1']);
  });
});
