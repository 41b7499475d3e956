import { jestConfig } from '../jest.base.js';

// *.platform.test.ts need the full local cluster: jest.platform.config.js runs them after the rest.
export default jestConfig('devstack', {
  testTimeout: 60_000,
  testPathIgnorePatterns: ['/node_modules/', '\\.platform\\.test\\.ts$'],
});
