import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { languages, type Language } from '@ums/contracts/profile';
import { en, type Messages } from './locales/en.ts';

const rtlLanguages = new Set<Language>(['ar']);
export const LANGUAGE_STORAGE_KEY = 'ums.language';

// Only English ships in the main bundle; the others are separate chunks fetched on demand.
const loaders: Record<Exclude<Language, 'en'>, () => Promise<Messages>> = {
  es: async () => (await import('./locales/es.ts')).es,
  fr: async () => (await import('./locales/fr.ts')).fr,
  ar: async () => (await import('./locales/ar.ts')).ar,
};

type LazyStrings = (language: Language) => Promise<Record<string, unknown>>;
const lazyStrings = new Map<string, LazyStrings>();

async function addLazy(language: Language, loads: readonly LazyStrings[]): Promise<void> {
  const trees = await Promise.all(loads.map((load) => load(language)));
  for (const tree of trees) i18n.addResourceBundle(language, 'translation', tree, true, true);
}

/**
 * Strings that live in a lazy chunk (the admin console's): merged in for the current language
 * now and for every later switch, before the switch happens, so its pages never show raw keys.
 */
export async function addLazyStrings(name: string, load: LazyStrings): Promise<void> {
  lazyStrings.set(name, load);
  await addLazy(isLanguage(i18n.language) ? i18n.language : 'en', [load]);
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

export function directionOf(language: Language): 'rtl' | 'ltr' {
  return rtlLanguages.has(language) ? 'rtl' : 'ltr';
}

export const i18n = i18next.createInstance();

export async function initI18n(initial: Language = 'en'): Promise<void> {
  if (!i18n.isInitialized) {
    await i18n.use(initReactI18next).init({
      lng: 'en',
      fallbackLng: 'en',
      resources: { en: { translation: en } },
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  }
  await changeLanguage(initial);
}

/** Loads the locale if needed, switches live, and updates `<html lang dir>`. */
export async function changeLanguage(language: Language): Promise<void> {
  if (language !== 'en' && !i18n.hasResourceBundle(language, 'translation')) {
    i18n.addResourceBundle(language, 'translation', await loaders[language]());
  }
  await addLazy(language, [...lazyStrings.values()]);
  await i18n.changeLanguage(language);
  document.documentElement.lang = language;
  document.documentElement.dir = directionOf(language);
  try {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // Storage may be unavailable (privacy modes): the switch still applies to this page.
  }
}

export function savedLanguage(): Language {
  try {
    const saved = localStorage.getItem(LANGUAGE_STORAGE_KEY);
    if (isLanguage(saved)) return saved;
  } catch {
    // Fall through to the browser's preference.
  }
  const browser = navigator.language.slice(0, 2);
  return isLanguage(browser) ? browser : 'en';
}

export async function loadLocale(language: Language): Promise<Messages> {
  return language === 'en' ? en : loaders[language]();
}
