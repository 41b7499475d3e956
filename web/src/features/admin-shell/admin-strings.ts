import { addLazyStrings } from '../../i18n/i18n.ts';
import { loadAdminConsole } from '../../i18n/locales/admin/load.ts';

/** Loads the console's strings (a chunk per language) before any admin page renders. */
export function loadAdminStrings(): Promise<void> {
  return addLazyStrings('admin', async (language) => ({ admin: await loadAdminConsole(language) }));
}
