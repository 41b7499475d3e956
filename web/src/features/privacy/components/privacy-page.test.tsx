import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { initI18n } from '../../../i18n/i18n.ts';
import { session } from '../../../lib/session/session-manager.ts';
import { bearerOf, json, mockFetch, type Call, type Route } from '../../../test/fetch-mock.ts';
import { renderApp } from '../../../test/render-app.tsx';
import { must, signInForTest, stubObjectUrls, testProfile } from '../../../test/signed-in.ts';

const bodyOf = (call: Call | undefined) => JSON.parse(String(call?.init.body)) as unknown;
const authExport = { exportedAt: '2026-03-04T05:06:07.000Z', account: { id: 'u1' }, sessions: [] };
const profileExport = { exportedAt: '2026-03-04T05:06:08.000Z', profile: { id: 'u1' } };

beforeAll(async () => {
  await initI18n('en');
});

afterEach(() => {
  session.clear();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

function setup(route: Route) {
  const calls = mockFetch(async (call) => {
    const answer = await route(call);
    if (answer.status !== 404) return answer;
    if (call.url === '/api/v1/users/me') return json(200, testProfile());
    return answer;
  });
  signInForTest();
  const router = renderApp('/privacy');
  return { calls, router };
}
const notFound = () => json(404, { code: 'http.not_found' });

describe('PrivacyPage', () => {
  it('when the data is downloaded, then both exports are merged into one dated JSON file', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-04T12:00:00') });
    const urls = stubObjectUrls();
    const click = vi
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => undefined);
    try {
      const attachment = (body: unknown) =>
        new Response(JSON.stringify(body), {
          headers: {
            'Content-Type': 'application/json',
            'Content-Disposition': 'attachment; filename="export.json"',
          },
        });
      const { calls } = setup((call) =>
        call.url === '/api/v1/auth/me/export'
          ? attachment(authExport)
          : call.url === '/api/v1/users/me/export'
            ? attachment(profileExport)
            : notFound(),
      );
      const ui = userEvent.setup();

      await ui.click(await screen.findByRole('button', { name: 'Download my data' }));

      expect(await screen.findByText('Your file was downloaded.')).toBeInTheDocument();
      expect(click).toHaveBeenCalledTimes(1);
      const link = click.mock.contexts[0] as HTMLAnchorElement;
      expect(link.download).toBe('my-data-2026-03-04.json');
      const saved = JSON.parse((await urls.blobs.get(link.href)?.text()) ?? '') as unknown;
      expect(saved).toEqual({
        exportedAt: new Date('2026-03-04T12:00:00').toISOString(),
        auth: authExport,
        profile: profileExport,
      });
      for (const path of ['/api/v1/auth/me/export', '/api/v1/users/me/export']) {
        expect(bearerOf(must(calls.find((c) => c.url === path)))).toBe('Bearer at-1');
      }
    } finally {
      click.mockRestore();
      urls.restore();
    }
  });

  it('when one export is refused, then nothing is saved and the error is shown translated', async () => {
    const click = vi
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => undefined);
    try {
      setup((call) =>
        call.url === '/api/v1/users/me/export'
          ? json(429, { code: 'export.rate_limited' })
          : call.url === '/api/v1/auth/me/export'
            ? json(200, authExport)
            : notFound(),
      );
      const ui = userEvent.setup();

      await ui.click(await screen.findByRole('button', { name: 'Download my data' }));

      expect(await screen.findByRole('alert')).toHaveTextContent('Too many exports.');
      expect(click).not.toHaveBeenCalled();
    } finally {
      click.mockRestore();
    }
  });

  it('when the account is deleted with the password, then the session ends and sign-in says so; a wrong password is announced', async () => {
    const { calls, router } = setup((call) => {
      if (call.url !== '/api/v1/auth/me' || call.init.method !== 'DELETE') return notFound();
      return (bodyOf(call) as { password?: string }).password === 'my password'
        ? new Response(null, { status: 204 })
        : json(403, { code: 'auth.invalid_current_password' });
    });
    const ui = userEvent.setup();

    const opener = await screen.findByRole('button', { name: 'Delete my account' });
    await ui.click(opener);
    const dialog = await screen.findByRole('dialog', { name: 'Delete your account?' });
    expect(within(dialog).getByLabelText('Password')).toHaveFocus();

    await ui.type(within(dialog).getByLabelText('Password'), 'not it');
    await ui.click(within(dialog).getByRole('button', { name: 'Delete my account for good' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'The password is incorrect.',
    );

    await ui.clear(within(dialog).getByLabelText('Password'));
    await ui.type(within(dialog).getByLabelText('Password'), 'my password');
    await ui.click(within(dialog).getByRole('button', { name: 'Delete my account for good' }));

    expect(
      await screen.findByText('Your account was deleted. We are sorry to see you go.'),
    ).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    expect(session.getSnapshot().status).toBe('anonymous');
    const deletes = calls.filter((c) => c.init.method === 'DELETE');
    expect(deletes.map(bodyOf)).toEqual([{ password: 'not it' }, { password: 'my password' }]);
    expect(bearerOf(must(deletes[1]))).toBe('Bearer at-1');
  });

  it('when a suspended account tries to delete itself, then the refusal is announced in words and the session stays', async () => {
    setup((call) =>
      call.url === '/api/v1/auth/me' && call.init.method === 'DELETE'
        ? json(403, { code: 'account.not_active' })
        : notFound(),
    );
    const ui = userEvent.setup();

    await ui.click(await screen.findByRole('button', { name: 'Delete my account' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete your account?' });
    await ui.type(within(dialog).getByLabelText('Password'), 'my password');
    await ui.click(within(dialog).getByRole('button', { name: 'Delete my account for good' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'This account is suspended or inactive, so this cannot be done now.',
    );
    expect(session.getSnapshot().status).toBe('authenticated');
  });

  it('when the account has no password, then the typed email confirms the deletion', async () => {
    const { calls } = setup((call) =>
      call.url === '/api/v1/auth/me' && call.init.method === 'DELETE'
        ? new Response(null, { status: 204 })
        : notFound(),
    );
    const ui = userEvent.setup();

    await ui.click(await screen.findByRole('button', { name: 'Delete my account' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete your account?' });
    await ui.click(within(dialog).getByRole('button', { name: /My account has no password/ }));
    await ui.type(
      within(dialog).getByLabelText('Type your email address (ada@example.com)'),
      'ada@example.com',
    );
    await ui.click(within(dialog).getByRole('button', { name: 'Delete my account for good' }));

    expect(await screen.findByText(/Your account was deleted/)).toBeInTheDocument();
    expect(bodyOf(calls.find((c) => c.init.method === 'DELETE'))).toEqual({
      confirmEmail: 'ada@example.com',
    });
  });

  it('when the dialog is cancelled, then nothing is sent and focus returns to the button', async () => {
    const { calls } = setup(() => notFound());
    const ui = userEvent.setup();

    const opener = await screen.findByRole('button', { name: 'Delete my account' });
    await ui.click(opener);
    const dialog = await screen.findByRole('dialog', { name: 'Delete your account?' });
    await ui.click(within(dialog).getByRole('button', { name: 'Cancel' }));

    expect(screen.queryByRole('dialog')).toBeNull();
    expect(opener).toHaveFocus();
    expect(calls.filter((c) => c.init.method === 'DELETE')).toHaveLength(0);
  });
});
