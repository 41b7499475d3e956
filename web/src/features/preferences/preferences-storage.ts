import { themes, type Theme } from '@ums/contracts/profile';

// Keys shared with public/theme-init.js, which applies them before first paint.
export const THEME_STORAGE_KEY = 'ums.theme';

export function isTheme(value: unknown): value is Theme {
  return typeof value === 'string' && (themes as readonly string[]).includes(value);
}

export function savedTheme(): Theme {
  try {
    const saved = localStorage.getItem(THEME_STORAGE_KEY);
    return isTheme(saved) ? saved : 'system';
  } catch {
    return 'system';
  }
}

export function prefersDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
}

export function applyTheme(theme: Theme): void {
  const dark = theme === 'dark' || (theme === 'system' && prefersDark());
  document.documentElement.classList.toggle('dark', dark);
  document.documentElement.style.colorScheme = dark ? 'dark' : 'light';
}

const themeListeners = new Set<() => void>();
let currentTheme: Theme | undefined;

/** The chosen theme as a tiny store, so every switcher follows a change made anywhere. */
export function subscribeTheme(listener: () => void): () => void {
  themeListeners.add(listener);
  return () => themeListeners.delete(listener);
}

export function currentThemeSnapshot(): Theme {
  currentTheme ??= savedTheme();
  return currentTheme;
}

export function saveTheme(theme: Theme): void {
  try {
    localStorage.setItem(THEME_STORAGE_KEY, theme);
  } catch {
    // Storage may be blocked; the choice still applies to this page.
  }
  applyTheme(theme);
  currentTheme = theme;
  for (const listener of themeListeners) listener();
}
