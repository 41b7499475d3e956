import { describe, expect, test } from '@jest/globals';
import * as pulumi from '@pulumi/pulumi';
import { credentialProblem, credentialRules, loadSettings } from './settings.ts';
import { stackConfig, testSecrets } from './testing/plan.ts';

describe('credentialProblem', () => {
  test('when a credential meets its service rule, then there is no problem', () => {
    expect(
      credentialProblem('correct-horse-battery', credentialRules.postgresPassword),
    ).toBeUndefined();
    expect(credentialProblem('x'.repeat(16), credentialRules.redisAuthToken)).toBeUndefined();
  });

  test.each([
    ['too short for ElastiCache', 'fifteen-chars!!', credentialRules.redisAuthToken],
    ['too long for DocumentDB', 'x'.repeat(101), credentialRules.documentdbPassword],
    ['with an @', 'pass@word-long', credentialRules.postgresPassword],
    ['with a space', 'pass word long', credentialRules.postgresPassword],
    ['with a non-ASCII letter', 'pässwörd-long', credentialRules.postgresPassword],
  ])(
    'when a credential is %s, then the problem is named without the value',
    (_what, value, rule) => {
      const problem = credentialProblem(value, rule);
      expect(problem).toBeDefined();
      expect(problem).not.toContain(value);
    },
  );
});

describe('loadSettings', () => {
  const load = async (stack: string, config: Record<string, string>) => {
    await pulumi.runtime.setMocks(
      { newResource: () => ({ id: undefined, state: {} }), call: () => ({}) },
      'ums',
      stack,
    );
    pulumi.runtime.setAllConfig(config, Object.keys(testSecrets));
    return loadSettings();
  };
  const complete = { ...stackConfig('dev'), ...testSecrets };

  test('when the dev config and the three secrets are set, then dev is loaded', async () => {
    const settings = await load('dev', complete);
    expect(settings).toMatchObject({ environment: 'dev', region: 'eu-west-1' });
  });

  test('when a secret is not set, then loading refuses: secrets have no default', async () => {
    const { 'ums:redisAuthToken': _, ...config } = complete;
    await expect(load('dev', config)).rejects.toThrow(/redisAuthToken/);
  });

  test('when the stack is not an environment, then loading refuses', async () => {
    await expect(load('qa', complete)).rejects.toThrow(/not one of dev, staging, prod/);
  });

  test('when an availability zone is of another region, then loading refuses', async () => {
    const config = {
      ...complete,
      'ums:availabilityZones': '["eu-west-1a","eu-west-1b","us-east-1a"]',
    };
    await expect(load('dev', config)).rejects.toThrow(/3 AZs of eu-west-1/);
  });
});
