import type { AdminConsoleMessages } from './locales/admin/console-en.ts';
import type { en } from './locales/en.ts';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    // The admin console's strings arrive with its chunk (addLazyStrings) but are typed like the rest.
    resources: { translation: typeof en & { admin: AdminConsoleMessages } };
  }
}
