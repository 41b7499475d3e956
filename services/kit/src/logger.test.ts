import { redactPaths, sanitizeForLog } from './logger.ts';
import { captureLogger } from './test/test-support.ts';

describe('createLogger', () => {
  it('when logging, then lines are JSON with service name, ISO time and a level label', () => {
    const { logger, records } = captureLogger();
    logger.info({ userId: 'u1' }, 'signed in');
    const [record] = records();
    expect(record).toMatchObject({ service: 'test-service', level: 'info', msg: 'signed in' });
    expect(record?.userId).toBe('u1');
    expect(String(record?.time)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('when credentials appear at several depths, then their values are redacted and the rest kept', () => {
    const { logger, lines, records } = captureLogger();
    logger.info(
      {
        password: 'pw-top-level',
        body: {
          email: 'ann@example.com',
          currentPassword: 'pw-current',
          newPassword: 'pw-new',
          user: { credentials: { totpSecret: 'totp-deep' } },
        },
        tokens: { accessToken: 'at-1', refreshToken: 'rt-1', idToken: 'it-1', mfaToken: 'mt-1' },
        oauth: { code: 'oauth-code-1', client_secret: 'cs-snake', clientSecret: 'cs-camel' },
        recovery: { recoveryCodes: ['rc-1', 'rc-2'] },
        integration: { apiKey: 'ak-1', secret: 's-1', token: 't-1' },
      },
      'login attempt',
    );
    const output = lines().join('\n');
    for (const value of [
      'pw-top-level',
      'pw-current',
      'pw-new',
      'totp-deep',
      'at-1',
      'rt-1',
      'it-1',
      'mt-1',
      'oauth-code-1',
      'cs-snake',
      'cs-camel',
      'rc-1',
      'ak-1',
      's-1',
      't-1',
    ]) {
      expect(output).not.toContain(value);
    }
    const [record] = records();
    expect(record?.password).toBe('[REDACTED]');
    expect(record?.body).toMatchObject({ email: 'ann@example.com', newPassword: '[REDACTED]' });
  });

  it('when request and response headers carry credentials, then they are redacted', () => {
    const { logger, lines, records } = captureLogger();
    logger.info({
      req: {
        method: 'GET',
        headers: { authorization: 'Bearer abc', cookie: 'sid=123', 'user-agent': 'curl/8' },
      },
      res: { statusCode: 200, headers: { 'set-cookie': 'sid=456; HttpOnly' } },
    });
    const output = lines().join('\n');
    expect(output).not.toContain('Bearer abc');
    expect(output).not.toContain('sid=123');
    expect(output).not.toContain('sid=456');
    expect(records()[0]?.req).toMatchObject({ headers: { 'user-agent': 'curl/8' } });
  });

  it('when an error with a code is logged, then its code stays readable as errorCode', () => {
    const { logger, records } = captureLogger();
    const err = Object.assign(new Error('connect failed'), { code: 'ECONNREFUSED' });
    logger.error({ err }, 'db down');
    expect(records()[0]?.err).toMatchObject({
      errorCode: 'ECONNREFUSED',
      message: 'connect failed',
    });
  });

  it('when the redaction list is inspected, then it covers auth headers on req and res', () => {
    expect(redactPaths).toEqual(
      expect.arrayContaining([
        'password',
        '*.*.password',
        'req.headers["authorization"]',
        'req.headers["cookie"]',
        'res.headers["set-cookie"]',
      ]),
    );
  });
});

describe('sanitizeForLog', () => {
  it('when text contains CR/LF, then they are escaped so no new line can be forged', () => {
    const forged = 'bob\r\n{"level":"info","msg":"admin logged in"}';
    const clean = sanitizeForLog(forged);
    expect(clean).not.toMatch(/[\r\n]/);
    expect(clean).toBe('bob\\r\\n{"level":"info","msg":"admin logged in"}');
  });

  it('when text contains terminal escapes or Unicode line separators, then they are escaped', () => {
    expect(sanitizeForLog('a\u001b[31mred\u2028b\tc')).toBe('a\\u001b[31mred\\u2028b\tc');
  });
});
