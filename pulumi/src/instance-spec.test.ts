// The stack outputs are what operator/examples/production.yaml's spec needs, under the names it
// uses: the same Secrets, namespace and ServiceAccounts, hosts of the right AWS services.
import { readFileSync } from 'node:fs';
import { beforeAll, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { instance, kubernetesSecrets, operatorServiceAccount } from './names.ts';
import { planStack } from './testing/plan.ts';
import type { Plan } from './testing/plan.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- YAML and stack outputs are untyped JSON the assertions walk by path
type Json = any;
const repoFile = (path: string): Json =>
  parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'));

let prod: Plan;
beforeAll(async () => {
  prod = await planStack('prod');
});

test('when prod is planned, then its instanceSpec has the example spec shape, secret names and options', () => {
  const example = repoFile('operator/examples/production.yaml');
  const outputs: Json = prod.outputs.instanceSpec;
  expect(example.metadata).toEqual({ name: instance.name, namespace: instance.namespace });
  for (const store of ['postgres', 'mongodb', 'redis']) {
    const { host: _exampleHost, ...exampleRest } = example.spec.databases[store].external;
    expect(outputs.databases[store].external).toMatchObject(exampleRest);
  }
  expect(Object.values(kubernetesSecrets).sort()).toEqual(
    Object.values(example.spec.databases as Json)
      .map((d: Json) => d.external.credentialsSecret.name)
      .sort(),
  );
});

test('then the hosts are the RDS, DocumentDB cluster and ElastiCache primary endpoints of ums-prod', () => {
  const { databases, imageRegistry }: Json = prod.outputs.instanceSpec;
  expect(databases.postgres.external.host).toMatch(
    /^ums-prod\.[a-z0-9]+\.eu-west-1\.rds\.amazonaws\.com$/,
  );
  expect(databases.mongodb.external.host).toMatch(
    /^ums-prod\.cluster-[a-z0-9]+\.eu-west-1\.docdb\.amazonaws\.com$/,
  );
  expect(databases.redis.external.host).toMatch(/^master\.ums-prod\..+\.cache\.amazonaws\.com$/);
  expect(imageRegistry).toMatch(/^\d{12}\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/ums-prod$/);
});

test('then every referenced Secret has a Secrets Manager secret, and every ServiceAccount a role', () => {
  expect(prod.outputs.kubernetesSecrets).toEqual({
    'ums-rds': 'ums-prod/ums-rds',
    'ums-docdb': 'ums-prod/ums-docdb',
    'ums-elasticache': 'ums-prod/ums-elasticache',
  });
  const operatorAccount = repoFile('operator/config/rbac/service-account.yaml');
  expect(operatorAccount.metadata).toMatchObject(operatorServiceAccount);
  expect(Object.keys(prod.outputs.serviceAccountRoles as Json)).toEqual([
    'user-management/ums-auth',
    'user-management/ums-profile',
    'ums-system/ums-operator',
  ]);
});
