// Schema of the three data stores. Each is either `managed` (the operator runs it as a
// StatefulSet, fine for development and demos) or `external` (RDS, DocumentDB, ElastiCache).
import { z } from 'zod';
import { resources } from './component-schema.ts';
import { databaseDefaults } from './defaults.ts';
import type { DatabaseDefaults } from './defaults.ts';
import { field, hostName, objectName, port, quantity } from './schema-primitives.ts';

function secretKey(defaultKey: string, what: string) {
  return field(
    z.string().min(1).max(253).default(defaultKey),
    `Key inside the Secret that holds the ${what}.`,
  );
}

const secretName = () => objectName('Name of the Secret, in the same namespace as the instance.');

function userPasswordSecret(description: string) {
  return field(
    z.object({
      name: secretName(),
      usernameKey: secretKey('username', 'user name'),
      passwordKey: secretKey('password', 'password'),
    }),
    description,
  );
}

function storage(d: DatabaseDefaults) {
  return field(
    z
      .object({
        size: quantity('Size of the volume claim.', '10Gi', [
          {
            rule: 'self == oldSelf',
            message:
              'cannot be changed after creation (a StatefulSet volume claim template is immutable); resize the PersistentVolumeClaim instead',
          },
        ]).default(d.storage),
        storageClassName: field(
          z.string().min(1).max(253).optional(),
          'StorageClass of the volume claim; the cluster default when unset.',
        ),
        reclaimPolicy: field(
          z.enum(['Retain', 'Delete']).default('Retain'),
          'What happens to the data volume when the instance is deleted. `Retain` keeps it; `Delete` removes it (the operator uses a finalizer for that).',
        ),
      })
      .prefault({}),
    'Persistent volume for the data.',
    {
      rules: [
        {
          rule: 'has(self.storageClassName) == has(oldSelf.storageClassName) && (!has(self.storageClassName) || self.storageClassName == oldSelf.storageClassName)',
          message:
            'storageClassName cannot be changed after creation (a StatefulSet volume claim template is immutable)',
          fieldPath: '.storageClassName',
        },
      ],
    },
  );
}

function managed(name: string, d: DatabaseDefaults) {
  return field(
    z.object({
      image: field(z.string().min(1).max(512).default(d.image), `${name} container image.`),
      storage: storage(d),
      resources: resources(d.resources),
    }),
    `Run ${name} in the cluster as a single-replica StatefulSet. Meant for development and demos; use \`external\` for production.`,
  );
}

const exactlyOne = [
  {
    rule: 'has(self.managed) != has(self.external)',
    message: 'set exactly one of managed or external',
  },
];

const postgresExternal = field(
  z.object({
    host: hostName('Host name of the PostgreSQL server, such as an RDS endpoint.'),
    port: port('Port of the PostgreSQL server.', databaseDefaults.postgres.port),
    database: field(z.string().min(1).max(63).default('ums'), 'Database name.'),
    sslMode: field(
      z.enum(['disable', 'require', 'verify-ca', 'verify-full']).default('require'),
      'libpq `sslmode` used to connect.',
    ),
    credentialsSecret: userPasswordSecret('Secret holding the user name and password.'),
  }),
  'Use an existing PostgreSQL server (for example Amazon RDS).',
);

const mongodbExternal = field(
  z.object({
    host: hostName('Host name of the MongoDB-compatible server, such as a DocumentDB endpoint.'),
    port: port('Port of the server.', databaseDefaults.mongodb.port),
    database: field(z.string().min(1).max(63).default('ums'), 'Database name.'),
    tls: field(z.boolean().default(true), 'Connect over TLS.'),
    replicaSet: field(
      z.string().min(1).max(63).optional(),
      'Replica set name (DocumentDB uses `rs0`).',
    ),
    credentialsSecret: userPasswordSecret('Secret holding the user name and password.'),
  }),
  'Use an existing MongoDB-compatible server (for example Amazon DocumentDB).',
);

const redisExternal = field(
  z.object({
    host: hostName('Host name of the Redis server, such as an ElastiCache endpoint.'),
    port: port('Port of the Redis server.', databaseDefaults.redis.port),
    tls: field(z.boolean().default(true), 'Connect over TLS (ElastiCache in-transit encryption).'),
    credentialsSecret: field(
      z.object({ name: secretName(), passwordKey: secretKey('password', 'AUTH token') }).optional(),
      'Secret holding the AUTH token; leave unset when the server needs none.',
    ),
  }),
  'Use an existing Redis server (for example Amazon ElastiCache).',
);

function database<E extends z.ZodType>(name: string, d: DatabaseDefaults, external: E) {
  return field(
    z
      .object({ managed: managed(name, d).optional(), external: external.optional() })
      .prefault({ managed: {} }),
    `${name}: set exactly one of \`managed\` or \`external\`. Defaults to managed.`,
    { rules: exactlyOne },
  );
}

export const databasesSchema = field(
  z
    .object({
      postgres: database('PostgreSQL', databaseDefaults.postgres, postgresExternal),
      mongodb: database('MongoDB', databaseDefaults.mongodb, mongodbExternal),
      redis: database('Redis', databaseDefaults.redis, redisExternal),
    })
    .prefault({}),
  'Data stores: PostgreSQL (auth), MongoDB (profile) and Redis (both).',
);

export const databaseNames = ['postgres', 'mongodb', 'redis'] as const;
export type DatabaseName = (typeof databaseNames)[number];
