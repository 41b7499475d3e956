// user_profiles, audit_logs and erased_users with their key indexes, validators and retention.
import type { Document } from 'mongodb';
import type { MigrationContext } from '../migrate.ts';
import {
  createIndexes,
  createTtlIndex,
  createValidatedCollection,
  dropCollection,
} from '../schema-helpers.ts';

const text = (maxLength: number): Document => ({ bsonType: ['string', 'null'], maxLength });

const profileSchema: Document = {
  bsonType: 'object',
  required: ['_id', 'userId', 'createdAt', 'updatedAt', 'preferences'],
  properties: {
    _id: { bsonType: 'string', maxLength: 64 },
    userId: { bsonType: 'string', maxLength: 64 },
    email: text(320),
    emailLower: { bsonType: 'string', maxLength: 320 },
    role: text(64),
    status: { enum: ['active', 'inactive', 'suspended', null] },
    emailVerified: { bsonType: 'bool' },
    mfaEnabled: { bsonType: 'bool' },
    createdAt: { bsonType: 'date' },
    lastLoginAt: { bsonType: ['date', 'null'] },
    updatedAt: { bsonType: 'date' },
    firstName: text(100),
    lastName: text(100),
    displayName: text(100),
    bio: text(1000),
    phone: text(32),
    location: text(100),
    website: text(2048),
    jobTitle: text(100),
    company: text(100),
    sortName: { bsonType: 'string' },
    preferences: {
      bsonType: 'object',
      required: ['language', 'theme', 'timezone', 'notifications'],
      properties: {
        language: { enum: ['en', 'es', 'fr', 'ar'] },
        theme: { enum: ['light', 'dark', 'system'] },
        timezone: { bsonType: 'string', maxLength: 64 },
        notifications: { bsonType: 'object' },
      },
    },
    avatar: { bsonType: ['object', 'null'] },
  },
};

const auditSchema: Document = {
  bsonType: 'object',
  required: ['_id', 'eventId', 'action', 'occurredAt', 'expiresAt'],
  properties: {
    _id: { bsonType: 'string' },
    eventId: { bsonType: 'string' },
    action: { bsonType: 'string', maxLength: 128 },
    actorId: { bsonType: ['string', 'null'] },
    userId: { bsonType: ['string', 'null'] },
    ip: { bsonType: ['string', 'null'] },
    requestId: { bsonType: ['string', 'null'] },
    occurredAt: { bsonType: 'date' },
    expiresAt: { bsonType: 'date' },
    details: { bsonType: 'object' },
  },
};

export async function up(ctx: MigrationContext): Promise<void> {
  await createValidatedCollection(ctx, 'user_profiles', profileSchema);
  // `_id` is the user id (cheap point reads everywhere); `userId` is kept unique as well so
  // the read model's key is explicit for anyone querying the collection.
  await createIndexes(ctx, 'user_profiles', [
    { key: { userId: 1 }, options: { name: 'userId_unique', unique: true } },
    { key: { createdAt: -1, _id: -1 }, options: { name: 'createdAt_id' } },
    { key: { email: 1 }, options: { name: 'email' } },
  ]);

  await createValidatedCollection(ctx, 'audit_logs', auditSchema);
  await createIndexes(ctx, 'audit_logs', [
    { key: { eventId: 1 }, options: { name: 'eventId_unique', unique: true } },
    { key: { userId: 1, occurredAt: -1 }, options: { name: 'userId_occurredAt' } },
    { key: { actorId: 1, occurredAt: -1 }, options: { name: 'actorId_occurredAt' } },
    { key: { action: 1, occurredAt: -1 }, options: { name: 'action_occurredAt' } },
    { key: { occurredAt: -1, _id: -1 }, options: { name: 'occurredAt_id' } },
  ]);
  // Each entry carries its own expiry (occurredAt + the retention in force when it was written).
  await createTtlIndex(ctx, 'audit_logs', 'expiresAt', 0);

  // Tombstones of erased users: late or replayed events must not bring a profile back.
  await ctx.db.createCollection('erased_users');
}

export async function down(ctx: MigrationContext): Promise<void> {
  await dropCollection(ctx, 'erased_users');
  await dropCollection(ctx, 'audit_logs');
  await dropCollection(ctx, 'user_profiles');
}
