import express from 'express';
import request from 'supertest';
import { accessTokenRequired, bearerChallenge, invalidAccessToken } from './bearer.ts';
import { createErrorHandler, unauthorized } from './errors.ts';
import { captureLogger } from './test/test-support.ts';

function app() {
  const server = express();
  server.get('/none', () => {
    throw accessTokenRequired();
  });
  server.get('/invalid', () => {
    throw invalidAccessToken('This session has ended.');
  });
  server.get('/other', () => {
    throw unauthorized('auth.invalid_credentials', 'The email or password is incorrect.');
  });
  server.use(createErrorHandler({ logger: captureLogger().logger }));
  return server;
}

describe('Bearer challenges (RFC 6750 section 3)', () => {
  it('when no access token was sent, then the 401 challenges with a bare Bearer and no error code', async () => {
    const res = await request(app()).get('/none').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('auth.invalid_token');
  });

  it('when the token is refused, then the challenge carries error="invalid_token" and the detail', async () => {
    const res = await request(app()).get('/invalid').expect(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer error="invalid_token", error_description="This session has ended."',
    );
    expect(res.body.detail).toBe('This session has ended.');
  });

  it('when any other 401 is answered (a refused sign-in), then it still names the Bearer scheme (RFC 9110 11.6.1)', async () => {
    const res = await request(app()).get('/other').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('when a description holds quotes, backslashes or non-ASCII, then the quoted-string stays well formed', () => {
    expect(bearerChallenge({ code: 'invalid_token', description: 'a "b" \\ c\né' })).toBe(
      'Bearer error="invalid_token", error_description="a \\"b\\" \\\\ c"',
    );
  });
});
