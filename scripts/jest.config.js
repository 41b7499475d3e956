import { jestConfig } from '../jest.base.js';

export default jestConfig('devstack', { testTimeout: 60_000 });
