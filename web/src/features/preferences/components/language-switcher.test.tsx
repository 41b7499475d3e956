import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { i18n, initI18n } from '../../../i18n/i18n.ts';
import { LanguageSwitcher } from './language-switcher.tsx';

describe('LanguageSwitcher', () => {
  beforeAll(async () => {
    await initI18n('en');
  });

  it('when Arabic is chosen, then <html> gets lang="ar" and dir="rtl" and the label is translated', async () => {
    render(
      <I18nextProvider i18n={i18n}>
        <LanguageSwitcher />
      </I18nextProvider>,
    );
    await userEvent.selectOptions(screen.getByLabelText('Language'), 'ar');
    await waitFor(() => expect(document.documentElement).toHaveAttribute('dir', 'rtl'));
    expect(document.documentElement).toHaveAttribute('lang', 'ar');
    expect(await screen.findByLabelText('اللغة')).toHaveValue('ar');
    expect(localStorage.getItem('ums.language')).toBe('ar');
  });

  it('when switching back to French, then the direction returns to ltr', async () => {
    render(
      <I18nextProvider i18n={i18n}>
        <LanguageSwitcher />
      </I18nextProvider>,
    );
    await userEvent.selectOptions(screen.getByRole('combobox'), 'fr');
    await waitFor(() => expect(document.documentElement).toHaveAttribute('lang', 'fr'));
    expect(document.documentElement).toHaveAttribute('dir', 'ltr');
    expect(screen.getByLabelText('Langue')).toHaveValue('fr');
  });
});
