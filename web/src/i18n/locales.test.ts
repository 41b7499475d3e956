import { describe, expect, it } from 'vitest';
import { languages } from '@ums/contracts/profile';
import { loadLocale } from './i18n.ts';
import { en } from './locales/en.ts';

function leafKeys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]: [string, unknown]) =>
    typeof value === 'object' && value !== null
      ? leafKeys(value, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1] ?? '').sort();
}

function valueAt(tree: object, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], tree);
}

describe('locales', () => {
  const english = leafKeys(en).sort();

  it.each(languages.filter((language) => language !== 'en'))(
    'when %s is loaded, then it has exactly the English keys, non-empty, with the same placeholders',
    async (language) => {
      const locale = await loadLocale(language);
      expect(leafKeys(locale).sort()).toEqual(english);
      for (const key of english) {
        const text = valueAt(locale, key);
        expect(typeof text === 'string' && text.trim().length > 0, `${language}:${key}`).toBe(true);
        expect(placeholders(text as string), `${language}:${key}`).toEqual(
          placeholders(valueAt(en, key) as string),
        );
      }
    },
  );
});
