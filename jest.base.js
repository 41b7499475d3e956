// Shared Jest settings: TypeScript is transformed by SWC (ts-jest does not support TypeScript 7).
// Node 24 runs the same sources natively by stripping types, so tests and runtime agree.
export function jestConfig(displayName, overrides = {}) {
  return {
    displayName,
    testEnvironment: 'node',
    transform: {
      '^.+\\.(t|j)sx?$': [
        '@swc/jest',
        {
          jsc: { parser: { syntax: 'typescript' }, target: 'es2024' },
          module: { type: 'commonjs' },
        },
      ],
    },
    moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
    testMatch: ['<rootDir>/src/**/*.test.ts'],
    ...overrides,
  };
}
