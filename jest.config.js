// One Jest run over every Node workspace, so `npm test` reports one total.
export default {
  projects: ['<rootDir>/services/kit', '<rootDir>/scripts'],
};
