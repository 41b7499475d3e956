import { jestConfig } from '../jest.base.js';

// *.platform.test.ts need the full local cluster and Argo CD: jest.platform.config.js runs them.
export default jestConfig('cdk8s', {
  testPathIgnorePatterns: ['/node_modules/', '\\.platform\\.test\\.ts$'],
});
