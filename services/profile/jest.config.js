import { jestConfig } from '../../jest.base.js';

export default jestConfig('profile', { testTimeout: 60_000 });
