// Shared Jest settings: TypeScript is transformed by SWC (ts-jest does not support TypeScript 7)
// into native ES modules, as Node 24 runs the same sources (type stripping). Jest must run with
// --experimental-vm-modules: scripts/src/stack/test-all.ts and the `jest` npm scripts do.
export function jestConfig(displayName, overrides = {}) {
  return {
    displayName,
    testEnvironment: 'node',
    extensionsToTreatAsEsm: ['.ts'],
    transform: {
      '^.+\\.(t|j)sx?$': [
        '@swc/jest',
        {
          jsc: { parser: { syntax: 'typescript' }, target: 'es2024' },
          module: { type: 'es6' },
        },
      ],
    },
    moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
    testMatch: ['<rootDir>/src/**/*.test.ts'],
    ...overrides,
  };
}
