import express from 'express';
import request from 'supertest';
import { requestId } from './request-id.ts';

function app() {
  const a = express();
  a.use(requestId());
  a.get('/id', (req, res) => {
    res.json({ id: req.id });
  });
  return a;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestId', () => {
  it('when a valid X-Request-Id arrives, then it is reused on req.id and the response header', async () => {
    const res = await request(app()).get('/id').set('X-Request-Id', 'abc.DEF_123-xyz');
    expect(res.headers['x-request-id']).toBe('abc.DEF_123-xyz');
    expect(res.body).toEqual({ id: 'abc.DEF_123-xyz' });
  });

  it('when no X-Request-Id arrives, then a UUID is generated', async () => {
    const res = await request(app()).get('/id');
    expect(res.body.id).toMatch(UUID);
    expect(res.headers['x-request-id']).toBe(res.body.id);
  });

  it('when the incoming id is too short, too long or has odd characters, then it is replaced', async () => {
    for (const bad of [
      'short',
      'a'.repeat(129),
      'has space 123',
      'evil"\\id1234',
      'ümlaut-12345',
    ]) {
      const res = await request(app()).get('/id').set('X-Request-Id', encodeURI(bad));
      expect(res.body.id).toMatch(UUID);
      expect(res.headers['x-request-id']).toBe(res.body.id);
    }
  });
});
