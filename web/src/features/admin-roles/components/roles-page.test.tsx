import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
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

interface Role {
  name: string;
  description: string;
  permissions: string[];
  isSystem: boolean;
  userCount: number;
}

function rolesApi(options: { createError?: string } = {}) {
  const roles: Role[] = [
    {
      name: 'super_admin',
      description: 'Full system access',
      permissions: ['users:read', 'roles:manage'],
      isSystem: true,
      userCount: 1,
    },
    {
      name: 'support',
      description: 'Help desk',
      permissions: ['users:read'],
      isSystem: false,
      userCount: 0,
    },
  ];
  return (call: Call) => {
    const method = methodOf(call);
    if (call.url === '/api/v1/roles' && method === 'GET') return json(200, roles);
    if (call.url === '/api/v1/roles' && method === 'POST') {
      if (options.createError) return json(409, { code: options.createError });
      const role = {
        description: '',
        isSystem: false,
        userCount: 0,
        ...(bodyOf(call) as Pick<Role, 'name' | 'permissions'> & Partial<Role>),
      };
      roles.push(role);
      return json(201, role);
    }
    const name = /^\/api\/v1\/roles\/([a-z_]+)$/.exec(call.url)?.[1];
    const role = roles.find((r) => r.name === name);
    if (role && method === 'PATCH') {
      Object.assign(role, bodyOf(call));
      return json(200, role);
    }
    if (role && method === 'DELETE') {
      roles.splice(roles.indexOf(role), 1);
      return new Response(null, { status: 204 });
    }
    return notFound();
  };
}

beforeAll(async () => {
  await initI18n('en');
});

afterEach(cleanUpAdmin);

describe('RolesPage', () => {
  it('when a role is created with a name and two permissions, then POST carries them and the role is listed', async () => {
    const calls = signInAdmin(rolesApi());
    renderApp('/admin/roles');
    const ui = userEvent.setup();

    const create = await screen.findByRole('form', { name: 'Create a role' });
    await ui.type(within(create).getByRole('textbox', { name: 'Name' }), 'Bad Name');
    await ui.click(within(create).getByRole('button', { name: 'Create role' }));
    expect(within(create).getByRole('textbox', { name: 'Name' })).toHaveAccessibleDescription(
      /Use lowercase letters, digits and _/,
    );
    expect(calls.some((c) => methodOf(c) === 'POST')).toBe(false);

    await ui.clear(within(create).getByRole('textbox', { name: 'Name' }));
    await ui.type(within(create).getByRole('textbox', { name: 'Name' }), 'auditor');
    await ui.type(within(create).getByRole('textbox', { name: 'Description' }), 'Reads the log');
    await ui.click(within(create).getByRole('checkbox', { name: /audit:read/ }));
    await ui.click(within(create).getByRole('checkbox', { name: /users:read/ }));
    await ui.click(within(create).getByRole('button', { name: 'Create role' }));

    expect(await screen.findByText('The role auditor was created.')).toBeInTheDocument();
    expect(bodyOf(calls.find((c) => methodOf(c) === 'POST'))).toEqual({
      name: 'auditor',
      description: 'Reads the log',
      permissions: ['users:read', 'audit:read'],
    });
    const editor = await screen.findByRole('form', { name: 'auditor' });
    expect(within(editor).getByRole('checkbox', { name: /audit:read/ })).toBeChecked();
  });

  it('when a permission is added to a role and saved, then PATCH sends the new set', async () => {
    const calls = signInAdmin(rolesApi());
    renderApp('/admin/roles');
    const ui = userEvent.setup();

    const support = await screen.findByRole('form', { name: 'support' });
    await ui.click(within(support).getByRole('checkbox', { name: 'Export users users:export' }));
    await ui.click(within(support).getByRole('button', { name: 'Save changes' }));

    expect(await within(support).findByText('The role support was saved.')).toBeInTheDocument();
    const patch = calls.find((c) => methodOf(c) === 'PATCH');
    expect(patch?.url).toBe('/api/v1/roles/support');
    expect(bodyOf(patch)).toEqual({
      description: 'Help desk',
      permissions: ['users:read', 'users:export'],
    });
    expect(within(support).getByRole('checkbox', { name: /users:export/ })).toBeChecked();
  });

  it('when a custom role is deleted after confirming, then DELETE is sent; built-in roles offer no delete', async () => {
    const calls = signInAdmin(rolesApi());
    renderApp('/admin/roles');
    const ui = userEvent.setup();

    const builtIn = await screen.findByRole('form', { name: 'super_admin' });
    expect(within(builtIn).queryByRole('button', { name: 'Delete role' })).not.toBeInTheDocument();

    const support = screen.getByRole('form', { name: 'support' });
    await ui.click(within(support).getByRole('button', { name: 'Delete role' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete the role support?' });
    await ui.click(within(dialog).getByRole('button', { name: 'Delete role' }));

    expect(await screen.findByText('The role support was deleted.')).toBeInTheDocument();
    expect(calls.find((c) => methodOf(c) === 'DELETE')?.url).toBe('/api/v1/roles/support');
    expect(screen.queryByRole('form', { name: 'support' })).not.toBeInTheDocument();
  });

  it('when the server refuses a name that exists, then the refusal is shown translated', async () => {
    signInAdmin(rolesApi({ createError: 'role.already_exists' }));
    renderApp('/admin/roles');
    const ui = userEvent.setup();

    const create = await screen.findByRole('form', { name: 'Create a role' });
    await ui.type(within(create).getByRole('textbox', { name: 'Name' }), 'support');
    await ui.click(within(create).getByRole('button', { name: 'Create role' }));

    expect(await within(create).findByRole('alert')).toHaveTextContent(
      'A role with this name already exists.',
    );
  });

  it('when the user may read but not manage roles, then the grid is read-only and nothing can be created', async () => {
    signInAdmin(rolesApi(), ['roles:read']);
    renderApp('/admin/roles');

    const support = await screen.findByRole('form', { name: 'support' });
    expect(screen.getByText('You can view roles but not change them.')).toBeInTheDocument();
    expect(within(support).getByRole('checkbox', { name: /users:read/ })).toBeDisabled();
    expect(screen.queryByRole('form', { name: 'Create a role' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Save changes' })).not.toBeInTheDocument();
  });
});
