import { jestConfig } from '../jest.base.js';

export default jestConfig('operator', { testTimeout: 60_000 });
