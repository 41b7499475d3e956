// The end-to-end tests on the full local cluster (`npm run platform:up`): run by `npm test` after
// every other suite, one file at a time, since they share one cluster and one dev instance.
import { jestConfig } from './jest.base.js';

export default {
  testTimeout: 600_000,
  projects: [
    {
      ...jestConfig('platform'),
      rootDir: '<rootDir>/scripts',
      testMatch: ['<rootDir>/src/platform/**/*.platform.test.ts'],
    },
  ],
};
