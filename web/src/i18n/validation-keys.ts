import type { en } from './locales/en.ts';

/** Keys zod schemas use as messages, so FormField can translate them. */
export type ValidationKey = `validation.${keyof typeof en.validation}`;

export const validationKeys = {
  required: 'validation.required',
  email: 'validation.email',
} as const satisfies Record<keyof typeof en.validation, ValidationKey>;
