import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { initI18n } from '../../../i18n/i18n.ts';
import {
  bodyOf,
  cleanUpAdmin,
  methodOf,
  notFound,
  signInAdmin,
} from '../../../test/admin-session.ts';
import { json, type Call } from '../../../test/fetch-mock.ts';
import { renderApp } from '../../../test/render-app.tsx';

const id = '44444444-4444-4444-8444-444444444444';
const accountUrl = `/api/v1/accounts/${id}`;

function stack(options: { patchError?: unknown } = {}) {
  const account = {
    id,
    email: 'dana@example.com',
    firstName: 'Dana',
    lastName: 'Scully',
    role: 'user',
    status: 'active',
    emailVerified: true,
    mfaEnabled: false,
    createdAt: '2025-01-05T09:00:00Z',
    lastLoginAt: null,
    locked: true,
    lockedUntil: '2025-03-01T10:00:00Z',
    failedLoginCount: 5,
  };
  return (call: Call) => {
    const method = methodOf(call);
    if (call.url === accountUrl && method === 'GET') return json(200, account);
    if (call.url === accountUrl && method === 'PATCH') {
      if (options.patchError) return json(403, options.patchError);
      Object.assign(account, bodyOf(call));
      return json(200, account);
    }
    if (call.url === accountUrl && method === 'DELETE') return new Response(null, { status: 204 });
    if (call.url === `${accountUrl}/unlock`) {
      Object.assign(account, { locked: false, lockedUntil: null, failedLoginCount: 0 });
      return json(200, account);
    }
    if (call.url === `${accountUrl}/revoke-sessions`) return json(200, { revokedSessions: 3 });
    if (call.url === `/api/v1/users/${id}`) {
      return json(200, { ...account, displayName: 'Agent Scully', jobTitle: 'Doctor', bio: null });
    }
    if (call.url.startsWith('/api/v1/audit-logs?')) {
      return json(200, {
        items: [
          {
            id: 'a1',
            action: 'user.registered',
            actorId: id,
            userId: id,
            ip: null,
            requestId: null,
            occurredAt: '2025-01-05T09:00:00Z',
            source: 'auth',
            details: {},
          },
        ],
        nextCursor: null,
      });
    }
    if (call.url === '/api/v1/roles') {
      return json(200, [
        { name: 'admin', description: '', permissions: [], isSystem: true, userCount: 1 },
        { name: 'user', description: '', permissions: [], isSystem: true, userCount: 1 },
      ]);
    }
    if (call.url.startsWith('/api/v1/users?')) return json(200, { items: [], nextCursor: null });
    return notFound();
  };
}

const callsTo = (calls: Call[], url: string, method: string) =>
  calls.filter((c) => c.url === url && methodOf(c) === method);

beforeAll(async () => {
  await initI18n('en');
});

afterEach(cleanUpAdmin);

describe('UserDetailPage', () => {
  it('when an admin opens a user, then profile, account and their audit trail are shown', async () => {
    const calls = signInAdmin(stack());
    renderApp(`/admin/users/${id}`);

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Agent Scully' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('Doctor')).toBeInTheDocument();
    expect(await screen.findByText('dana@example.com')).toBeInTheDocument();
    const trail = await screen.findByRole('table', { name: 'Audit trail' });
    expect(within(trail).getByText('Account registered')).toBeInTheDocument();
    expect(calls.find((c) => c.url.startsWith('/api/v1/audit-logs?'))?.url).toBe(
      `/api/v1/audit-logs?userId=${id}&limit=25`,
    );
    expect(screen.getByRole('link', { name: 'Open in the audit log' })).toHaveAttribute(
      'href',
      `/admin/audit?userId=${id}`,
    );
  });

  it('when the admin suspends then reactivates, then each change is a PATCH of the status', async () => {
    const calls = signInAdmin(stack());
    renderApp(`/admin/users/${id}`);
    const ui = userEvent.setup();

    await ui.click(await screen.findByRole('button', { name: 'Suspend account' }));
    const dialog = screen.getByRole('dialog', { name: 'Suspend Agent Scully?' });
    await ui.click(within(dialog).getByRole('button', { name: 'Suspend account' }));

    const notice = await screen.findByText('The status is now: Suspended.');
    await vi.waitFor(() => expect(notice).toHaveFocus());
    expect(bodyOf(callsTo(calls, accountUrl, 'PATCH')[0])).toEqual({ status: 'suspended' });
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    await ui.click(screen.getByRole('button', { name: 'Activate account' }));
    expect(await screen.findByText('The status is now: Active.')).toBeInTheDocument();
    expect(bodyOf(callsTo(calls, accountUrl, 'PATCH')[1])).toEqual({ status: 'active' });
  });

  it('when the role is changed, the account unlocked and its sessions ended, then the matching endpoints are called', async () => {
    const calls = signInAdmin(stack());
    renderApp(`/admin/users/${id}`);
    const ui = userEvent.setup();

    await screen.findByRole('option', { name: 'admin' });
    await ui.selectOptions(screen.getByRole('combobox', { name: 'New role' }), 'admin');
    await ui.click(screen.getByRole('button', { name: 'Change role' }));
    expect(await screen.findByText('The role is now: admin.')).toBeInTheDocument();
    expect(bodyOf(callsTo(calls, accountUrl, 'PATCH')[0])).toEqual({ role: 'admin' });

    await ui.click(screen.getByRole('button', { name: 'Unlock account' }));
    expect(await screen.findByText('The account is unlocked.')).toBeInTheDocument();
    expect(callsTo(calls, `${accountUrl}/unlock`, 'POST')).toHaveLength(1);

    await ui.click(screen.getByRole('button', { name: 'Sign out of all sessions' }));
    const dialog = screen.getByRole('dialog', { name: 'Sign Agent Scully out of all sessions?' });
    await ui.click(within(dialog).getByRole('button', { name: 'Sign out of all sessions' }));
    expect(await screen.findByText('Sessions ended: 3.')).toBeInTheDocument();
    expect(callsTo(calls, `${accountUrl}/revoke-sessions`, 'POST')).toHaveLength(1);
  });

  it('when the admin deletes the account after confirming, then DELETE is sent and the directory says so', async () => {
    const calls = signInAdmin(stack());
    const router = renderApp(`/admin/users/${id}`);
    const ui = userEvent.setup();

    await ui.click(await screen.findByRole('button', { name: 'Delete account' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete Agent Scully for good?' });
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await ui.click(within(dialog).getByRole('button', { name: 'Delete account' }));

    expect(await screen.findByText('The account Agent Scully was deleted.')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/admin/users');
    expect(callsTo(calls, accountUrl, 'DELETE')).toHaveLength(1);
  });

  it('when the server refuses a change, then its code is shown translated', async () => {
    signInAdmin(stack({ patchError: { code: 'account.protected_target' } }));
    renderApp(`/admin/users/${id}`);
    const ui = userEvent.setup();

    await ui.click(await screen.findByRole('button', { name: 'Deactivate account' }));
    const dialog = screen.getByRole('dialog', { name: 'Deactivate Agent Scully?' });
    await ui.click(within(dialog).getByRole('button', { name: 'Deactivate account' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'This account has rights you do not hold, so you cannot change it.',
    );
  });

  it('when the user may only read users, then no action buttons are offered', async () => {
    signInAdmin(stack(), ['users:read']);
    renderApp(`/admin/users/${id}`);

    expect(await screen.findByText('dana@example.com')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Suspend account' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Delete account' })).not.toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Audit trail' })).not.toBeInTheDocument();
  });
});
