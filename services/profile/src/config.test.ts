import { ConfigError } from '@ums/service-kit/config';
import { databaseName, loadProfileConfig } from './config.ts';

const base = {
  MONGODB_URI: 'mongodb://127.0.0.1:57017/ums',
  REDIS_URL: 'redis://127.0.0.1:6379/0',
  AUTH_JWKS_URL: 'http://localhost:8000/.well-known/jwks.json',
};

describe('profile configuration', () => {
  it('when only the required settings are given, then the documented defaults apply', () => {
    const config = loadProfileConfig(base);
    expect(config).toMatchObject({
      PORT: 8002,
      ISSUER: 'http://localhost:8000',
      AUDIENCE: 'ums-api',
      EVENTS_STREAM: 'ums:events',
      EVENTS_GROUP: 'profile',
      AUDIT_RETENTION_DAYS: 365,
      AVATAR_STORAGE: 'local',
      AVATAR_LOCAL_DIR: '.local/avatars',
      AVATAR_MAX_BYTES: 5 * 1024 * 1024,
    });
    expect(databaseName(config)).toBe('ums');
  });

  it('when required settings are missing or wrong, then start-up fails naming each, never echoing a value', () => {
    let error: unknown;
    try {
      loadProfileConfig({
        MONGODB_URI: 'postgres://user:hunter2secret@db/x',
        AVATAR_STORAGE: 's3',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['MONGODB_URI', 'REDIS_URL', 'AUTH_JWKS_URL'])
      expect(message).toContain(name);
    expect(message).not.toContain('hunter2secret');
    expect(() => loadProfileConfig({ ...base, AVATAR_STORAGE: 's3' })).toThrow('S3_BUCKET');
  });

  it('when MONGODB_DB is set, then it wins over the URI path', () => {
    expect(databaseName({ MONGODB_URI: 'mongodb://h/ums', MONGODB_DB: 'other' })).toBe('other');
    expect(
      databaseName({
        MONGODB_URI: 'mongodb+srv://u:p@cluster.example/profiles?tls=true',
        MONGODB_DB: undefined,
      }),
    ).toBe('profiles');
  });
});
