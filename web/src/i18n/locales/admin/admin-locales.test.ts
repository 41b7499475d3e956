import { describe, expect, it } from 'vitest';
import { languages } from '@ums/contracts/profile';
import { adminConsoleEn } from './console-en.ts';
import { loadAdminConsole } from './load.ts';

function leafKeys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]: [string, unknown]) =>
    typeof value === 'object' && value !== null
      ? leafKeys(value, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

const placeholders = (text: string) =>
  [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1] ?? '').sort();

const valueAt = (tree: object, path: string): unknown =>
  path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], tree);

describe('admin console locales', () => {
  const english = leafKeys(adminConsoleEn).sort();

  it.each(languages.filter((language) => language !== 'en'))(
    'when the %s console strings load, then they have exactly the English keys, non-empty, with the same placeholders',
    async (language) => {
      const locale = await loadAdminConsole(language);
      expect(leafKeys(locale).sort()).toEqual(english);
      for (const key of english) {
        const text = valueAt(locale, key);
        expect(typeof text === 'string' && text.trim().length > 0, `${language}:${key}`).toBe(true);
        expect(placeholders(text as string), `${language}:${key}`).toEqual(
          placeholders(valueAt(adminConsoleEn, key) as string),
        );
      }
    },
  );
});
