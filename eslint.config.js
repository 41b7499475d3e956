// Flat config shared by every workspace. Typed linting is off on purpose: typescript-eslint
// parses with TypeScript 6 (its supported range), while type checking is TypeScript 7's job
// (`npm run typecheck`).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { webBoundaries } from './web/eslint-boundaries.js';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.local/**', '**/coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  ...tseslint.configs.stylistic,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // What ships may not import test support (src/test, test-support, *-test-support); the image
    // build leaves those out, so such an import would fail only in production.
    files: ['services/*/src/**/*.ts', 'operator/src/**/*.ts', 'web/src/**/*.{ts,tsx}'],
    ignores: [
      '**/*.test.ts',
      '**/*.test.tsx',
      '**/src/test/**',
      '**/src/test-support/**',
      '**/*-test-support.ts',
      '**/*-test-support.tsx',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(test|test-support)/|-test-support(\\.tsx?)?$|test-bed(\\.ts)?$',
              message: 'Test support stays out of shipped code (and out of the images).',
            },
          ],
        },
      ],
    },
  },
  // Features reach each other only through public-api.ts; web api/ modules import no components.
  ...webBoundaries,
  {
    files: ['**/*.test.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  prettier,
);
