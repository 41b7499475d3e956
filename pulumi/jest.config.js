import { jestConfig } from '../jest.base.js';

// The program's tests live next to it in src/, the policy pack's in policy/.
export default jestConfig('pulumi', {
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/policy/**/*.test.ts'],
});
