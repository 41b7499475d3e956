import type { Language } from '@ums/contracts/profile';
import type { AdminConsoleMessages } from './console-en.ts';

/** The admin console's strings in one language, each language its own chunk. */
export async function loadAdminConsole(language: Language): Promise<AdminConsoleMessages> {
  switch (language) {
    case 'es':
      return (await import('./console-es.ts')).adminConsoleEs;
    case 'fr':
      return (await import('./console-fr.ts')).adminConsoleFr;
    case 'ar':
      return (await import('./console-ar.ts')).adminConsoleAr;
    default:
      return (await import('./console-en.ts')).adminConsoleEn;
  }
}
