// Button looks shared by the pages (contrast checked in both themes).
export const primaryButton =
  'rounded bg-blue-700 px-3 py-2 text-sm font-medium text-white hover:bg-blue-800 disabled:opacity-60 dark:bg-blue-500 dark:text-slate-950 dark:hover:bg-blue-400';
export const secondaryButton =
  'rounded border border-slate-400 px-3 py-2 text-sm hover:bg-slate-100 disabled:opacity-60 dark:border-slate-500 dark:hover:bg-slate-800';
export const dangerButton =
  'rounded bg-red-700 px-3 py-2 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-60 dark:bg-red-400 dark:text-slate-950 dark:hover:bg-red-300';
