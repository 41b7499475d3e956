import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { initI18n } from '../../../i18n/i18n.ts';
import { dayBound } from '../../../lib/day-bound.ts';
import { cleanUpAdmin, notFound, paramsOf, signInAdmin } from '../../../test/admin-session.ts';
import { json, type Call } from '../../../test/fetch-mock.ts';
import { renderApp } from '../../../test/render-app.tsx';

const entry = (id: string, action: string, details: Record<string, unknown> = {}) => ({
  id,
  action,
  actorId: 'admin-1',
  userId: 'user-7',
  ip: '203.0.113.9',
  requestId: 'req-1',
  occurredAt: '2025-03-01T12:30:00Z',
  source: 'auth',
  details,
});

const auditCalls = (calls: Call[]) => calls.filter((c) => c.url.startsWith('/api/v1/audit-logs?'));

function auditLog(call: Call) {
  if (!call.url.startsWith('/api/v1/audit-logs?')) return notFound();
  return paramsOf(call).cursor === 'older'
    ? json(200, { items: [entry('e3', 'user.registered')], nextCursor: null })
    : json(200, {
        items: [
          entry('e1', 'user.status_changed', { from: 'active', to: 'suspended' }),
          entry('e2', 'custom.thing'),
        ],
        nextCursor: 'older',
      });
}

beforeAll(async () => {
  await initI18n('en');
});

afterEach(cleanUpAdmin);

describe('AuditPage', () => {
  it('when filters are applied, then they reach the URL and the query string, and entries are shown translated', async () => {
    const calls = signInAdmin(auditLog);
    const router = renderApp('/admin/audit?action=user.status_changed');
    const ui = userEvent.setup();

    const table = await screen.findByRole('table', { name: 'Audit entries, newest first' });
    expect(paramsOf(auditCalls(calls)[0])).toEqual({ action: 'user.status_changed', limit: '25' });
    const rows = within(table).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('Status changed');
    expect(rows[1]).toHaveTextContent('{"from":"active","to":"suspended"}');
    expect(rows[2]).toHaveTextContent('custom.thing');
    expect(
      within(rows[1] as HTMLElement).getAllByRole('link', { name: 'user-7' })[0],
    ).toHaveAttribute('href', '/admin/users/user-7');

    await ui.type(screen.getByRole('textbox', { name: 'User id' }), 'user-7');
    await ui.type(screen.getByRole('textbox', { name: 'Actor id' }), 'admin-1');
    await ui.type(screen.getByLabelText('From'), '2025-03-01');
    await ui.type(screen.getByLabelText('Until'), '2025-03-02');
    await ui.click(screen.getByRole('button', { name: 'Apply filters' }));

    await vi.waitFor(() => expect(auditCalls(calls)).toHaveLength(2));
    expect(Object.fromEntries(new URLSearchParams(router.state.location.search))).toEqual({
      userId: 'user-7',
      actorId: 'admin-1',
      action: 'user.status_changed',
      from: '2025-03-01',
      to: '2025-03-02',
    });
    expect(paramsOf(auditCalls(calls)[1])).toEqual({
      userId: 'user-7',
      actorId: 'admin-1',
      action: 'user.status_changed',
      from: dayBound('2025-03-01', 'start'),
      to: dayBound('2025-03-02', 'end'),
      limit: '25',
    });

    await ui.click(screen.getByRole('button', { name: 'Clear filters' }));
    await vi.waitFor(() => expect(router.state.location.search).toBe(''));
  });

  it('when Next page is pressed, then older entries are fetched with the cursor', async () => {
    const calls = signInAdmin(auditLog);
    renderApp('/admin/audit');
    const ui = userEvent.setup();

    await screen.findByRole('table', { name: 'Audit entries, newest first' });
    await ui.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('Account registered')).toBeInTheDocument();
    expect(paramsOf(auditCalls(calls).at(-1))).toEqual({ limit: '25', cursor: 'older' });
  });

  it('when the user lacks audit:read, then the page is refused and nothing is fetched', async () => {
    const calls = signInAdmin(auditLog, ['users:read']);
    renderApp('/admin/audit');

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Not allowed' }),
    ).toBeInTheDocument();
    expect(auditCalls(calls)).toHaveLength(0);
    const sections = screen.getByRole('navigation', { name: 'Admin sections' });
    expect(within(sections).queryByRole('link', { name: 'Audit log' })).not.toBeInTheDocument();
  });
});
