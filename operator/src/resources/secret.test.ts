import { externalDatabases, instanceRef } from '../test-support/instance.ts';
import { buildGeneratedSecret, generatedSecretSpecs } from './secret.ts';

test('when databases are managed, then passwords for each and the token key-encryption key are generated', () => {
  const specs = generatedSecretSpecs(instanceRef());
  expect(specs.map((s) => s.name)).toEqual([
    'demo-postgres-credentials',
    'demo-mongodb-credentials',
    'demo-redis-credentials',
    'demo-token-kek',
  ]);
});

test('when databases are external, then only the key-encryption key is generated', () => {
  expect(
    generatedSecretSpecs(instanceRef({ databases: externalDatabases })).map((s) => s.name),
  ).toEqual(['demo-token-kek']);
});

test('when a Secret is built, then it is immutable, owned and filled from the random source', () => {
  const ref = instanceRef();
  const [spec] = generatedSecretSpecs(ref);
  if (!spec) throw new Error('no secret spec');
  const secret = buildGeneratedSecret(ref, spec, (bytes) => `r${bytes}`);
  expect(secret.immutable).toBe(true);
  expect(secret.stringData).toEqual({ username: 'ums', password: 'r24' });
  expect(secret.metadata?.ownerReferences?.[0]).toMatchObject({
    kind: 'UserManagementInstance',
    controller: true,
  });
});
