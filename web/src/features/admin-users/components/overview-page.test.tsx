import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initI18n } from '../../../i18n/i18n.ts';
import { cleanUpAdmin, notFound, signInAdmin } from '../../../test/admin-session.ts';
import { json } from '../../../test/fetch-mock.ts';
import { renderApp } from '../../../test/render-app.tsx';

const stats = {
  generatedAt: '2025-03-31T10:00:00Z',
  total: 1234,
  byStatus: { active: 1200, inactive: 4, suspended: 30 },
  byRole: { user: 1230, admin: 3, super_admin: 1 },
  registrations: [
    { date: '2025-03-29', count: 2 },
    { date: '2025-03-30', count: 7 },
    { date: '2025-03-31', count: 0 },
  ],
};

beforeAll(async () => {
  await initI18n('en');
});

afterEach(cleanUpAdmin);

describe('OverviewPage', () => {
  it('when an admin opens /admin, then counts and an accessible registrations chart are shown', async () => {
    const calls = signInAdmin((call) =>
      call.url === '/api/v1/accounts/stats?days=30' ? json(200, stats) : notFound(),
    );
    renderApp('/admin');

    const heading = await screen.findByRole('heading', { level: 1, name: 'Overview' });
    await screen.findByText('1,234');
    expect(heading).toHaveFocus();
    expect(screen.getByText('1,200')).toBeInTheDocument();
    expect(screen.getByText('super_admin')).toBeInTheDocument();

    const chart = screen.getByRole('img', {
      name: 'Registrations per day over the last 3 days: 9 in total, at most 7 on Mar 30, 2025.',
    });
    expect(chart.querySelectorAll('rect')).toHaveLength(3);

    const table = screen.getByRole('table', { name: 'Registrations per day' });
    const rows = within(table).getAllByRole('row');
    expect(rows.map((row) => row.textContent)).toEqual([
      'DateRegistrations',
      'Mar 29, 20252',
      'Mar 30, 20257',
      'Mar 31, 20250',
    ]);
    const toggle = screen.getByRole('button', { name: 'Show the data as a table' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.setup().click(toggle);
    expect(screen.getByRole('button', { name: 'Hide the table' })).toHaveAttribute(
      'aria-expanded',
      'true',
    );
    expect(calls.find((c) => c.url.startsWith('/api/v1/accounts/stats'))).toBeDefined();
  });

  it('when the language is Spanish, then numbers and dates in the chart summary follow it', async () => {
    await initI18n('es');
    try {
      signInAdmin((call) =>
        call.url.startsWith('/api/v1/accounts/stats') ? json(200, stats) : notFound(),
      );
      renderApp('/admin');
      expect(
        await screen.findByRole('img', {
          name: 'Registros por día en los últimos 3 días: 9 en total, como máximo 7 el 30 mar 2025.',
        }),
      ).toBeInTheDocument();
    } finally {
      await initI18n('en');
    }
  });

  it('when the language is Arabic, then the chart runs from the right edge', async () => {
    await initI18n('ar');
    try {
      signInAdmin((call) =>
        call.url.startsWith('/api/v1/accounts/stats') ? json(200, stats) : notFound(),
      );
      renderApp('/admin');
      const chart = await screen.findByRole('img');
      const x = (date: string) =>
        Number(chart.querySelector(`[data-date="${date}"]`)?.getAttribute('x'));
      expect(x('2025-03-29')).toBeGreaterThan(x('2025-03-31'));
      expect(document.documentElement.dir).toBe('rtl');
    } finally {
      await initI18n('en');
    }
    expect(document.documentElement.dir).toBe('ltr');
  });

  it('when the language is switched on an admin page, then the console strings load and follow it', async () => {
    signInAdmin((call) =>
      call.url.startsWith('/api/v1/accounts/stats') ? json(200, stats) : notFound(),
    );
    renderApp('/admin');
    const ui = userEvent.setup();
    try {
      await screen.findByRole('heading', { level: 1, name: 'Overview' });
      await ui.selectOptions(screen.getByRole('combobox', { name: 'Language' }), 'fr');
      expect(
        await screen.findByRole('heading', { level: 1, name: 'Vue d’ensemble' }),
      ).toBeInTheDocument();
      expect(
        screen.getByRole('navigation', { name: 'Sections d’administration' }),
      ).toBeInTheDocument();
      expect(screen.getByRole('link', { name: 'Administration' })).toBeInTheDocument();
    } finally {
      await initI18n('en');
    }
  });

  it('when the user lacks every admin permission, then the nav has no Admin link and /admin is refused', async () => {
    const calls = signInAdmin(notFound, []);
    renderApp('/admin');

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Not allowed' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Admin' })).not.toBeInTheDocument();
    expect(calls.some((c) => c.url.startsWith('/api/v1/accounts/stats'))).toBe(false);
  });

  it('when the user holds users:read, then the header shows the Admin link', async () => {
    signInAdmin(
      (call) => (call.url.startsWith('/api/v1/accounts/stats') ? json(200, stats) : notFound()),
      ['users:read'],
    );
    renderApp('/admin');

    expect(await screen.findByRole('link', { name: 'Admin' })).toHaveAttribute('href', '/admin');
    const sections = screen.getByRole('navigation', { name: 'Admin sections' });
    expect(
      within(sections)
        .getAllByRole('link')
        .map((link) => link.textContent),
    ).toEqual(['Overview', 'Users']);
  });

  it('when the server refuses the stats with 403, then a translated message is shown', async () => {
    signInAdmin((call) =>
      call.url.startsWith('/api/v1/accounts/stats')
        ? json(403, { code: 'auth.forbidden' })
        : notFound(),
    );
    renderApp('/admin');

    expect(await screen.findByRole('alert')).toHaveTextContent('You are not allowed to do this.');
  });
});
