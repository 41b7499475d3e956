// One Jest run over every Node workspace, so `npm test` reports one total. testTimeout is a
// global option (per-project values are ignored): integration tests talk to real servers.
export default {
  testTimeout: 60_000,
  projects: [
    '<rootDir>/services/kit',
    '<rootDir>/services/auth',
    '<rootDir>/services/profile',
    '<rootDir>/operator',
    '<rootDir>/cdk8s',
    '<rootDir>/pulumi',
    '<rootDir>/scripts',
  ],
};
