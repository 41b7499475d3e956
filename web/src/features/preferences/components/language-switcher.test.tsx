import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { changeLanguage, i18n, initI18n } from '../../../i18n/i18n.ts';
import { session } from '../../../lib/session/session-manager.ts';
import { bearerOf, json, mockFetch } from '../../../test/fetch-mock.ts';
import { LanguageSwitcher } from './language-switcher.tsx';
import { ThemeSwitcher } from './theme-switcher.tsx';

function renderSwitchers() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={client}>
        <LanguageSwitcher />
        <ThemeSwitcher />
      </QueryClientProvider>
    </I18nextProvider>,
  );
}

describe('LanguageSwitcher', () => {
  beforeAll(async () => {
    await initI18n('en');
  });

  afterEach(async () => {
    session.clear();
    vi.unstubAllGlobals();
    await changeLanguage('en');
  });

  it('when Arabic is chosen, then <html> gets lang="ar" and dir="rtl" and the label is translated', async () => {
    const calls = mockFetch(() => json(500, {}));
    renderSwitchers();
    await userEvent.selectOptions(screen.getByLabelText('Language'), 'ar');
    await waitFor(() => expect(document.documentElement).toHaveAttribute('dir', 'rtl'));
    expect(document.documentElement).toHaveAttribute('lang', 'ar');
    expect(await screen.findByLabelText('اللغة')).toHaveValue('ar');
    expect(localStorage.getItem('ums.language')).toBe('ar');
    // Signed out: the choice stays in this browser only.
    expect(calls).toHaveLength(0);
  });

  it('when switching back to French, then the direction returns to ltr', async () => {
    mockFetch(() => json(500, {}));
    await changeLanguage('ar');
    renderSwitchers();
    await userEvent.selectOptions(screen.getByLabelText('اللغة'), 'fr');
    await waitFor(() => expect(document.documentElement).toHaveAttribute('lang', 'fr'));
    expect(document.documentElement).toHaveAttribute('dir', 'ltr');
    expect(screen.getByLabelText('Langue')).toHaveValue('fr');
  });

  it('when a signed-in user switches language and theme, then both are saved to the server preferences', async () => {
    const calls = mockFetch(() => json(200, { id: 'u1', preferences: {} }));
    session.signIn({
      accessToken: 'at-1',
      expiresIn: 900,
      tokenType: 'Bearer',
      user: { id: 'u1', email: 'ada@example.com', role: 'user' },
    });
    renderSwitchers();
    const ui = userEvent.setup();

    await ui.selectOptions(screen.getByLabelText('Language'), 'es');
    await waitFor(() => expect(calls).toHaveLength(1));
    await ui.selectOptions(await screen.findByLabelText('Tema'), 'dark');
    await waitFor(() => expect(calls).toHaveLength(2));

    expect(calls.map((c) => [c.url, c.init.method, bearerOf(c)])).toEqual([
      ['/api/v1/users/me', 'PATCH', 'Bearer at-1'],
      ['/api/v1/users/me', 'PATCH', 'Bearer at-1'],
    ]);
    expect(calls.map((c) => JSON.parse(String(c.init.body)))).toEqual([
      { preferences: { language: 'es' } },
      { preferences: { theme: 'dark' } },
    ]);
    expect(document.documentElement).toHaveClass('dark');
  });
});
