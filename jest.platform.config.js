// The end-to-end tests on the full local cluster (`npm run platform:up`, then `gitops:up`): run by
// `npm test` after every other suite, one file at a time in file-name order, since they share
// one cluster and one dev instance.
import { jestConfig } from './jest.base.js';

const platformTests = { testMatch: ['<rootDir>/src/**/*.platform.test.ts'] };

export default {
  testTimeout: 600_000,
  testSequencer: '<rootDir>/jest.platform-sequencer.js',
  projects: [
    { ...jestConfig('platform'), rootDir: '<rootDir>/scripts', ...platformTests },
    { ...jestConfig('gitops'), rootDir: '<rootDir>/cdk8s', ...platformTests },
  ],
};
