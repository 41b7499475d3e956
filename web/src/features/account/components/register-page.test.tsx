import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { initI18n } from '../../../i18n/i18n.ts';
import { json, mockFetch } from '../../../test/fetch-mock.ts';
import { renderApp } from '../../../test/render-app.tsx';

beforeAll(async () => {
  await initI18n('en');
});

afterEach(() => {
  vi.unstubAllGlobals();
});

function rule(name: string): HTMLElement {
  const item = document.querySelector<HTMLElement>(`[data-rule="${name}"]`);
  if (!item) throw new Error(`rule ${name} not rendered`);
  return item;
}

describe('RegisterPage', () => {
  it('when the password is typed, then each rule updates live', async () => {
    mockFetch(() => json(500, {}));
    renderApp('/register');
    const ui = userEvent.setup();

    // The page is a lazy route: wait for its chunk.
    await ui.type(await screen.findByLabelText('Email'), 'adalovelace@example.com');
    expect(rule('minLength')).toHaveAttribute('data-met', 'false');

    await ui.type(screen.getByLabelText('Password'), 'AdaLovelace-99');
    expect(rule('minLength')).toHaveAttribute('data-met', 'true');
    expect(rule('noEmail')).toHaveAttribute('data-met', 'false');
    expect(within(rule('noEmail')).getByText(/not met/)).toBeInTheDocument();

    await ui.clear(screen.getByLabelText('Password'));
    await ui.type(screen.getByLabelText('Password'), 'correct horse battery');
    expect(rule('noEmail')).toHaveAttribute('data-met', 'true');
  });

  it('when the server refuses a common password, then its code is shown translated', async () => {
    const calls = mockFetch(() =>
      json(400, {
        code: 'auth.password_too_common',
        errors: [{ path: 'password', code: 'auth.password_too_common' }],
      }),
    );
    renderApp('/register');
    const ui = userEvent.setup();

    // The page is a lazy route: wait for its chunk.
    await ui.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await ui.type(screen.getByLabelText('Password'), 'password1234');
    await ui.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('This password is too common.');
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({
      email: 'ada@example.com',
      password: 'password1234',
    });
  });

  it('when the password is too short, then the form does not submit and says why', async () => {
    const calls = mockFetch(() => json(201, { user: {} }));
    renderApp('/register');
    const ui = userEvent.setup();

    // The page is a lazy route: wait for its chunk.
    await ui.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await ui.type(screen.getByLabelText('Password'), 'short');
    await ui.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByText('The password is too short.')).toBeInTheDocument();
    expect(screen.getByLabelText('Password')).toHaveAttribute('aria-invalid', 'true');
    expect(calls).toHaveLength(0);
  });
});
