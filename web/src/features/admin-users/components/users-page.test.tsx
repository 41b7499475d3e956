import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { initI18n } from '../../../i18n/i18n.ts';
import { dayBound } from '../../../lib/day-bound.ts';
import {
  bodyOf,
  cleanUpAdmin,
  notFound,
  paramsOf,
  signInAdmin,
} from '../../../test/admin-session.ts';
import { json, type Call } from '../../../test/fetch-mock.ts';
import { renderApp } from '../../../test/render-app.tsx';

const person = (id: string, email: string, firstName: string, role = 'user') => ({
  id,
  email,
  firstName,
  lastName: 'Test',
  displayName: null,
  jobTitle: null,
  location: null,
  avatarUrl: null,
  role,
  status: 'active',
  emailVerified: true,
  mfaEnabled: false,
  createdAt: '2025-02-01T10:00:00Z',
  lastLoginAt: null,
});

const ada = person('11111111-1111-4111-8111-111111111111', 'ada@example.com', 'Ada');
const bob = person('22222222-2222-4222-8222-222222222222', 'bob@example.com', 'Bob');
const cy = person('33333333-3333-4333-8333-333333333333', 'cy@example.com', 'Cy', 'admin');
const roles = [
  { name: 'admin', description: '', permissions: [], isSystem: true, userCount: 1 },
  { name: 'user', description: '', permissions: [], isSystem: true, userCount: 2 },
];

const usersCalls = (calls: Call[]) => calls.filter((c) => c.url.startsWith('/api/v1/users?'));

function directory(extra: (call: Call) => Response | undefined = () => undefined) {
  return (call: Call) => {
    const answer = extra(call);
    if (answer) return answer;
    if (call.url === '/api/v1/roles') return json(200, roles);
    if (call.url.startsWith('/api/v1/users?')) {
      return paramsOf(call).cursor === 'page-2'
        ? json(200, { items: [cy], nextCursor: null })
        : json(200, { items: [ada, bob], nextCursor: 'page-2' });
    }
    return notFound();
  };
}

beforeAll(async () => {
  await initI18n('en');
});

afterEach(() => {
  cleanUpAdmin();
  vi.restoreAllMocks();
});

describe('UsersPage', () => {
  it('when filters come from the URL and new ones are applied, then both reach the query string and the URL', async () => {
    const calls = signInAdmin(directory());
    const router = renderApp('/admin/users?q=ada&status=suspended');
    const ui = userEvent.setup();

    await screen.findByRole('link', { name: 'Ada Test' });
    expect(paramsOf(usersCalls(calls)[0])).toEqual({ q: 'ada', status: 'suspended', limit: '20' });
    expect(screen.getByRole('searchbox', { name: 'Search by name or email' })).toHaveValue('ada');
    expect(screen.getByRole('combobox', { name: 'Status' })).toHaveValue('suspended');

    await screen.findByRole('option', { name: 'admin' });
    await ui.selectOptions(screen.getByRole('combobox', { name: 'Role' }), 'admin');
    await ui.selectOptions(screen.getByRole('combobox', { name: 'Sort by' }), 'Email, A to Z');
    await ui.type(screen.getByLabelText('Created from'), '2025-01-01');
    await ui.type(screen.getByLabelText('Created until'), '2025-01-31');
    await ui.click(screen.getByRole('button', { name: 'Apply filters' }));

    await vi.waitFor(() =>
      expect(new URLSearchParams(router.state.location.search).get('role')).toBe('admin'),
    );
    expect(Object.fromEntries(new URLSearchParams(router.state.location.search))).toEqual({
      q: 'ada',
      role: 'admin',
      status: 'suspended',
      createdFrom: '2025-01-01',
      createdTo: '2025-01-31',
      sort: 'email',
    });
    await vi.waitFor(() => expect(usersCalls(calls)).toHaveLength(2));
    expect(paramsOf(usersCalls(calls)[1])).toEqual({
      q: 'ada',
      role: 'admin',
      status: 'suspended',
      createdFrom: dayBound('2025-01-01', 'start'),
      createdTo: dayBound('2025-01-31', 'end'),
      sort: 'email',
      limit: '20',
    });
    expect(dayBound('2025-01-31', 'end')).toBe(
      new Date(2025, 0, 31, 23, 59, 59, 999).toISOString(),
    );
  });

  it('when Next and Previous are pressed, then the next cursor is requested and the first page comes back', async () => {
    const calls = signInAdmin(directory());
    renderApp('/admin/users');
    const ui = userEvent.setup();

    await screen.findByRole('link', { name: 'Ada Test' });
    const pager = screen.getByRole('navigation', { name: 'Pages' });
    expect(within(pager).getByRole('button', { name: 'Previous page' })).toBeDisabled();
    await ui.click(within(pager).getByRole('button', { name: 'Next page' }));

    expect(await screen.findByRole('link', { name: 'Cy Test' })).toBeInTheDocument();
    expect(paramsOf(usersCalls(calls).at(-1))).toEqual({ limit: '20', cursor: 'page-2' });
    expect(within(pager).getByText('Page 2')).toBeInTheDocument();
    expect(within(pager).getByRole('button', { name: 'Next page' })).toBeDisabled();

    await ui.click(within(pager).getByRole('button', { name: 'Previous page' }));
    expect(await screen.findByRole('link', { name: 'Ada Test' })).toBeInTheDocument();
    expect(within(pager).getByText('Page 1')).toBeInTheDocument();
  });

  it('when users are selected and a role change is previewed then applied, then each row shows its result', async () => {
    const calls = signInAdmin(
      directory((call) => {
        if (call.url !== '/api/v1/accounts/bulk') return undefined;
        const body = bodyOf(call) as { dryRun: boolean; ids: string[] };
        return json(200, {
          dryRun: body.dryRun,
          results: [
            { id: ada.id, ok: true, from: 'user', to: 'admin' },
            { id: bob.id, ok: false, code: 'account.role_not_grantable' },
          ],
        });
      }),
    );
    renderApp('/admin/users');
    const ui = userEvent.setup();

    await screen.findByRole('link', { name: 'Ada Test' });
    const selectAll = screen.getByRole('checkbox', { name: 'Select all users on this page' });
    await ui.click(screen.getByRole('checkbox', { name: 'Select Ada Test' }));
    expect(selectAll).toHaveProperty('indeterminate', true);
    await ui.click(selectAll);
    expect(screen.getByRole('checkbox', { name: 'Select Bob Test' })).toBeChecked();
    expect(screen.getByText('Selected: 2')).toBeInTheDocument();

    await ui.selectOptions(screen.getByRole('combobox', { name: 'Action' }), 'Change role');
    await ui.selectOptions(screen.getByRole('combobox', { name: 'New role' }), 'admin');
    await ui.click(screen.getByRole('button', { name: 'Preview changes' }));

    const preview = await screen.findByRole('table', {
      name: 'Preview: what would happen (nothing has changed yet)',
    });
    expect(bodyOf(calls.find((c) => c.url === '/api/v1/accounts/bulk'))).toEqual({
      ids: [ada.id, bob.id],
      action: 'change_role',
      role: 'admin',
      dryRun: true,
    });
    const previewRows = within(preview).getAllByRole('row').slice(1);
    expect(previewRows[0]).toHaveTextContent('ada@example.com');
    expect(previewRows[0]).toHaveTextContent('Would change: user → admin');
    expect(previewRows[1]).toHaveTextContent(
      'This role grants rights you do not hold, so you cannot give it.',
    );
    expect(screen.getByText('Preview: 1 would succeed, 1 would be refused.')).toBeInTheDocument();

    await ui.click(screen.getByRole('button', { name: 'Apply changes' }));
    const results = await screen.findByRole('table', { name: 'Results of the bulk action' });
    const bulkCalls = calls.filter((c) => c.url === '/api/v1/accounts/bulk');
    expect(bulkCalls).toHaveLength(2);
    expect(bodyOf(bulkCalls[1])).toMatchObject({ dryRun: false, action: 'change_role' });
    expect(within(results).getAllByRole('row')[1]).toHaveTextContent('Changed: user → admin');
    expect(screen.getByRole('checkbox', { name: 'Select Ada Test' })).not.toBeChecked();
  });

  it('when a suspension is applied, then a native dialog asks first and cancelling sends nothing', async () => {
    const calls = signInAdmin(
      directory((call) =>
        call.url === '/api/v1/accounts/bulk'
          ? json(200, {
              dryRun: (bodyOf(call) as { dryRun: boolean }).dryRun,
              results: [{ id: ada.id, ok: true, from: 'active', to: 'suspended' }],
            })
          : undefined,
      ),
    );
    renderApp('/admin/users');
    const ui = userEvent.setup();

    await ui.click(await screen.findByRole('checkbox', { name: 'Select Ada Test' }));
    await ui.click(screen.getByRole('button', { name: 'Preview changes' }));
    await screen.findByText('Would change: Active → Suspended');
    await ui.click(screen.getByRole('button', { name: 'Apply changes' }));

    const dialog = screen.getByRole('dialog', {
      name: 'Apply “Suspend” to the selected accounts?',
    });
    await ui.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(calls.filter((c) => c.url === '/api/v1/accounts/bulk')).toHaveLength(1);

    await ui.click(screen.getByRole('button', { name: 'Apply changes' }));
    await ui.click(screen.getByRole('button', { name: 'Apply' }));
    expect(await screen.findByText('Changed: Active → Suspended')).toBeInTheDocument();
    expect(calls.filter((c) => c.url === '/api/v1/accounts/bulk')).toHaveLength(2);
  });

  it('when Export CSV is pressed, then the filtered export is fetched with the token and saved as a file', async () => {
    const calls = signInAdmin(
      directory((call) =>
        call.url.startsWith('/api/v1/users/export')
          ? new Response('id,email\n', {
              status: 200,
              headers: {
                'Content-Type': 'text/csv',
                'Content-Disposition': 'attachment; filename="users-20250301.csv"',
              },
            })
          : undefined,
      ),
    );
    const created = vi.fn((_blob: Blob) => 'blob:users');
    vi.stubGlobal(
      'URL',
      class extends URL {
        static override createObjectURL = created;
        static override revokeObjectURL = vi.fn();
      },
    );
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(`${this.download} ${this.getAttribute('href') ?? ''}`);
    });
    renderApp('/admin/users?status=active');
    const ui = userEvent.setup();

    await ui.click(await screen.findByRole('button', { name: 'Export CSV' }));

    expect(await screen.findByText('Downloaded users-20250301.csv.')).toBeInTheDocument();
    const exportCall = calls.find((c) => c.url.startsWith('/api/v1/users/export'));
    expect(paramsOf(exportCall)).toEqual({ status: 'active', format: 'csv' });
    expect(new Headers(exportCall?.init.headers).get('Authorization')).toBe('Bearer at-admin');
    expect(clicked).toEqual(['users-20250301.csv blob:users']);
    expect(await created.mock.calls[0]?.[0].text()).toBe('id,email\n');
  });

  it('when the user may read but not change users, then there are no checkboxes, bulk actions or exports', async () => {
    signInAdmin(directory(), ['users:read']);
    renderApp('/admin/users');

    await screen.findByRole('link', { name: 'Ada Test' });
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Bulk action' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Export CSV' })).not.toBeInTheDocument();
    expect(
      screen.getByRole('region', { name: 'Users matching the filters (scrolls sideways)' }),
    ).toHaveAttribute('tabindex', '0');
  });
});
