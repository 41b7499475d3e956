import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { changeLanguage, initI18n } from '../../../i18n/i18n.ts';
import { session } from '../../../lib/session/session-manager.ts';
import { json, mockFetch, type Call } from '../../../test/fetch-mock.ts';
import { renderApp } from '../../../test/render-app.tsx';
import { must, signInForTest, testMe, testProfile } from '../../../test/signed-in.ts';
import { saveTheme } from '../preferences-storage.ts';

const bodyOf = (call: Call | undefined) => JSON.parse(String(call?.init.body)) as unknown;

beforeAll(async () => {
  await initI18n('en');
});

afterEach(async () => {
  session.clear();
  vi.unstubAllGlobals();
  await changeLanguage('en');
  saveTheme('system');
});

function serve(profile: ReturnType<typeof testProfile>) {
  let current = profile;
  return mockFetch((call) => {
    if (call.url === '/api/v1/users/me' && call.init.method === 'PATCH') {
      const patch = bodyOf(call) as { preferences: object };
      current = { ...current, preferences: { ...current.preferences, ...patch.preferences } };
      return json(200, current);
    }
    if (call.url === '/api/v1/users/me') return json(200, current);
    if (call.url === '/api/v1/auth/me') return json(200, testMe);
    return json(404, { code: 'http.not_found' });
  });
}

describe('PreferencesPage', () => {
  it('when preferences are saved, then the server gets them and language and theme switch live', async () => {
    const calls = serve(testProfile());
    signInForTest();
    renderApp('/preferences');
    const ui = userEvent.setup();

    await ui.selectOptions(await screen.findByLabelText('Time zone'), 'Europe/Paris');
    await ui.selectOptions(must(screen.getAllByLabelText('Theme')[1]), 'dark');
    await ui.selectOptions(must(screen.getAllByLabelText('Language')[1]), 'fr');
    await ui.click(screen.getByRole('checkbox', { name: 'By text message (SMS)' }));
    await ui.click(screen.getByRole('button', { name: 'Save preferences' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Préférences' })).toBeVisible();
    expect(document.documentElement).toHaveAttribute('lang', 'fr');
    expect(document.documentElement).toHaveClass('dark');
    expect(screen.getByText('Vos préférences ont été enregistrées.')).toHaveAttribute(
      'role',
      'status',
    );
    const patch = calls.find((c) => c.init.method === 'PATCH');
    expect(bodyOf(patch)).toEqual({
      preferences: {
        language: 'fr',
        theme: 'dark',
        timezone: 'Europe/Paris',
        notifications: { email: true, push: false, sms: true },
      },
    });
    // The header switchers follow the saved choice.
    expect(screen.getAllByLabelText('Langue')[0]).toHaveValue('fr');
    expect(screen.getAllByLabelText('Thème')[0]).toHaveValue('dark');
  });

  it('when a user signs in, then the language and theme saved on the server are applied', async () => {
    serve(
      testProfile({
        preferences: {
          language: 'es',
          theme: 'dark',
          timezone: 'UTC',
          notifications: { email: true, push: false, sms: false },
        },
      }),
    );
    signInForTest();
    renderApp('/');

    await waitFor(() => expect(document.documentElement).toHaveAttribute('lang', 'es'));
    expect(document.documentElement).toHaveClass('dark');
    expect(await screen.findByLabelText('Idioma')).toHaveValue('es');
  });

  it('when the time zone list is built, then every option is a zone the server accepts', async () => {
    serve(
      testProfile({ preferences: { ...testProfile().preferences, timezone: 'Asia/Calcutta' } }),
    );
    signInForTest();
    renderApp('/preferences');

    const select = await screen.findByLabelText('Time zone');
    const values = [...(select as HTMLSelectElement).options].map((o) => o.value);
    expect(select).toHaveValue('Asia/Calcutta');
    expect(values).toContain('UTC');
    expect(values).toContain('America/New_York');
    for (const zone of values)
      expect(() => new Intl.DateTimeFormat('en', { timeZone: zone })).not.toThrow();
  });
});
