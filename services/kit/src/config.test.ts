import { z } from 'zod';
import { baseConfigSchema, booleanFromEnv, ConfigError, loadConfig, secret } from './config.ts';

const schema = baseConfigSchema.extend({
  JWT_SECRET: secret(),
  FEATURE_X: booleanFromEnv().default(false),
});

const validEnv = {
  PORT: '3000',
  SERVICE_NAME: 'auth',
  JWT_SECRET: 'a-very-long-secret-value-123',
};

function captureError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('when all required variables are valid, then defaults are applied and values coerced', () => {
    const config = loadConfig(schema, validEnv);
    expect(config).toEqual({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: 3000,
      SERVICE_NAME: 'auth',
      SHUTDOWN_TIMEOUT_MS: 10_000,
      SHUTDOWN_DRAIN_DELAY_MS: 0,
      JWT_SECRET: validEnv.JWT_SECRET,
      FEATURE_X: false,
    });
  });

  it('when a secret is missing, then it refuses with a ConfigError naming the variable', () => {
    const { JWT_SECRET: _omitted, ...env } = validEnv;
    const error = captureError(() => loadConfig(schema, env));
    expect(error.name).toBe('ConfigError');
    expect(error.message).toContain('JWT_SECRET: is required but not set');
    expect(error.problems).toHaveLength(1);
  });

  it('when a variable is set to an empty string, then it counts as unset', () => {
    const error = captureError(() => loadConfig(schema, { ...validEnv, JWT_SECRET: '' }));
    expect(error.message).toContain('JWT_SECRET: is required but not set');
  });

  it('when PORT is not a valid port, then the message names PORT', () => {
    for (const port of ['abc', '0', '70000', '3.5']) {
      const error = captureError(() => loadConfig(schema, { ...validEnv, PORT: port }));
      expect(error.message).toMatch(/PORT: must be an integer between 1 and 65535/);
    }
  });

  it('when a secret is too short, then the message explains why without echoing the value', () => {
    const shortSecret = 'hunter2-secret';
    const error = captureError(() => loadConfig(schema, { ...validEnv, JWT_SECRET: shortSecret }));
    expect(error.message).toContain('JWT_SECRET: must be at least 16 characters long');
    expect(error.message).not.toContain(shortSecret);
  });

  it('when a custom message would echo the value, then the value is scrubbed', () => {
    const leaky = z.object({
      API_KEY: z
        .string()
        .refine(() => false, { error: (issue) => `bad key ${String(issue.input)}` }),
    });
    const error = captureError(() => loadConfig(leaky, { API_KEY: 'sk_live_abcdef' }));
    expect(error.message).toContain('API_KEY: bad key [REDACTED]');
    expect(error.message).not.toContain('sk_live_abcdef');
  });

  it('when several variables are invalid, then there is one line per problem', () => {
    const error = captureError(() =>
      loadConfig(schema, { PORT: 'x', LOG_LEVEL: 'loud', OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://a' }),
    );
    const lines = error.message.split('\n').slice(1);
    expect(lines).toHaveLength(5);
    expect(error.message).toMatch(/LOG_LEVEL: /);
    expect(error.message).toMatch(/SERVICE_NAME: is required but not set/);
    expect(error.message).toMatch(/OTEL_EXPORTER_OTLP_ENDPOINT: must be an http\(s\) URL/);
  });

  it('when a boolean variable is set, then "true"/"1"/"false"/"0" parse and others are refused', () => {
    expect(loadConfig(schema, { ...validEnv, FEATURE_X: '1' }).FEATURE_X).toBe(true);
    expect(loadConfig(schema, { ...validEnv, FEATURE_X: 'true' }).FEATURE_X).toBe(true);
    expect(loadConfig(schema, { ...validEnv, FEATURE_X: '0' }).FEATURE_X).toBe(false);
    expect(loadConfig(schema, { ...validEnv, FEATURE_X: 'false' }).FEATURE_X).toBe(false);
    const error = captureError(() => loadConfig(schema, { ...validEnv, FEATURE_X: 'yes' }));
    expect(error.message).toContain('FEATURE_X: must be one of true, false, 1, 0');
  });
});
