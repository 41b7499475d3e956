// The web app's import boundaries (web/README.md), as ESLint flat-config objects for the root
// config. They use typescript-eslint's copy of `no-restricted-imports` so that they add to, rather
// than replace, the root config's own `no-restricted-imports` (test support out of shipped code):
// flat config keeps one set of options per rule and file.
//
// A feature reaches another only through its `public-api.ts`. A file `depth` folders below its
// feature's folder gets to a sibling feature with exactly `depth + 1` `../`; one more lands in
// `src/`, whose `lib/session` and `lib/profile` share names with features, so the pattern counts
// the steps rather than matching names.

const publicOnly = '/(?!public-api\\.ts$)';

/** Imports of another feature's files, other than its public-api.ts, from `depth` folders down. */
const otherFeature = (depth) => ({
  regex: `^(\\.\\./){${depth + 1}}[^./][^/]*${publicOnly}|(^|/)features/[^/]+${publicOnly}`,
  message:
    'Import another feature only through its public-api.ts (web/README.md); inside a feature, use the short relative path.',
});

const components = {
  regex: '(^|/)components/',
  message: 'api/ modules fetch and cache; they may not import components (web/README.md).',
};

// The contracts' zod modules as types only: zod stays out of the chunks that do not validate.
const schemasAsTypes = {
  regex: '^@ums/contracts/.+-schemas$',
  allowTypeImports: true,
  message:
    'Use `import type` for @ums/contracts/*-schemas: zod stays out of the pages that do not need it.',
};

const rule = (...patterns) => ({
  '@typescript-eslint/no-restricted-imports': [
    'error',
    { patterns: [schemasAsTypes, ...patterns] },
  ],
});

export const webBoundaries = [
  { files: ['web/src/**/*.{ts,tsx}'], rules: rule() },
  { files: ['web/src/features/*/*.{ts,tsx}'], rules: rule(otherFeature(0)) },
  { files: ['web/src/features/*/*/*.{ts,tsx}'], rules: rule(otherFeature(1)) },
  { files: ['web/src/features/*/*/*/*.{ts,tsx}'], rules: rule(otherFeature(2)) },
  { files: ['web/src/features/*/api/*.{ts,tsx}'], rules: rule(otherFeature(1), components) },
];
