import { render, screen } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { changeLanguage, initI18n } from '../i18n/i18n.ts';
import { PageHeading } from './page-heading.tsx';

describe('PageHeading', () => {
  beforeAll(() => initI18n('en'));

  it('when a page opens, then its heading has the focus and names the document in the current language', async () => {
    const { rerender } = render(<PageHeading>Security</PageHeading>);
    const heading = screen.getByRole('heading', { level: 1, name: 'Security' });
    expect(heading).toHaveFocus();
    expect(document.title).toBe('Security · User Management');

    await changeLanguage('es');
    rerender(<PageHeading>Seguridad</PageHeading>);
    expect(document.title).toBe('Seguridad · Gestión de usuarios');
    await changeLanguage('en');
  });
});
