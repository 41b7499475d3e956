import { jestConfig } from '../../jest.base.js';

export default jestConfig('auth', { testTimeout: 60_000 });
