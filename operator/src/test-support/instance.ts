// InstanceRefs for unit tests, defaulted by the same schema the API server applies.
import { instanceSpecSchema } from '../api/instance-schema.ts';
import type { InstanceRef } from '../api/types.ts';

export function instanceRef(spec: Record<string, unknown> = {}, name = 'demo'): InstanceRef {
  return {
    name,
    namespace: 'team-a',
    uid: '00000000-0000-4000-8000-000000000001',
    spec: instanceSpecSchema.parse({ version: '1.4.0', ...spec }),
  };
}

export const externalDatabases = {
  postgres: { external: { host: 'pg.example.com', credentialsSecret: { name: 'rds' } } },
  mongodb: {
    external: {
      host: 'docdb.example.com',
      replicaSet: 'rs0',
      credentialsSecret: { name: 'docdb' },
    },
  },
  redis: { external: { host: 'cache.example.com', credentialsSecret: { name: 'redis' } } },
};
