// What the gateway answers when an upstream refuses a body or cannot be reached: the upstream's
// own answer when there is one, and never where the upstream runs.
import { request as httpRequest } from 'node:http';
import type { LogFields } from './logger.ts';
import { refusingUpstream, unusedUrl } from './test-servers.ts';
import { closeServers, expectProblem, json, serve, startGateway } from './gateway-test-support.ts';

afterEach(closeServers);

const MB = 1024 * 1024;

/**
 * PUTs `total` bytes the way a browser or curl streams an upload (Content-Length, or chunked when
 * `chunked`), and stops sending once the answer has come.
 */
function upload(url: string, total: number, chunked = false) {
  return new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
    let sent = 0;
    const req = httpRequest(`${url}/api/v1/users/me/avatar`, {
      method: 'PUT',
      headers: {
        'content-type': 'multipart/form-data; boundary=XyZ',
        ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': total }),
      },
    });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sent }));
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    const pump = () => {
      while (sent < total && !answered && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered && !req.destroyed) req.end();
    };
    pump();
  });
}

describe('createGateway and a refused upload', () => {
  // Chunked, the upstream reads 5 MB before it can refuse, so the upload must be larger than
  // what sits in socket buffers by then to show that the rest is not sent.
  test.each([
    ['a 6 MB upload with Content-Length', 6 * MB, false],
    ['a 50 MB chunked upload', 50 * MB, true],
  ])(
    'when %s is refused by the upstream with 413, then the client gets that 413, not a 502, and the rest is not sent',
    async (_kind, total, chunked) => {
      const upstream = refusingUpstream(5 * MB);
      const server = await serve(upstream.handler);
      const gateway = await startGateway({ upstreams: { profile: server.url } });
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const result = await upload(gateway, total, chunked);
        expect([result.status, JSON.parse(result.body) as unknown]).toEqual([
          413,
          { code: 'avatar.too_large' },
        ]);
        expect(result.sent).toBeLessThan(total);
      }
      // Streamed, not buffered: the upstream never got the whole body.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(upstream.bytesRead).toHaveLength(3);
      for (const bytes of upstream.bytesRead) expect(bytes).toBeLessThan(total);
    },
  );

  test('when the client (fetch) sends the whole body anyway, then it gets the 413 with Connection: close and the gateway forwards no more of it', async () => {
    const upstream = refusingUpstream(5 * MB);
    const server = await serve(upstream.handler);
    const gateway = await startGateway({ upstreams: { profile: server.url } });
    const response = await fetch(`${gateway}/api/v1/users/me/avatar`, {
      method: 'PUT',
      headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
      body: Buffer.alloc(6 * MB, 0x41),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
    expect(await json(response)).toEqual({ code: 'avatar.too_large' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(upstream.bytesRead).toEqual([expect.any(Number)]);
    expect(upstream.bytesRead[0]).toBeLessThan(6 * MB);
  });

  test('when the upload is within the limit, then it still streams through whole', async () => {
    const server = await serve(refusingUpstream(5 * MB).handler);
    const gateway = await startGateway({ upstreams: { profile: server.url } });
    const result = await upload(gateway, 4 * MB);
    expect([result.status, JSON.parse(result.body) as unknown]).toEqual([
      200,
      { bodyLength: 4 * MB },
    ]);
  });
});

describe('createGateway upstream failures and internal addresses', () => {
  const warnings: LogFields[] = [];
  const logger = {
    info: () => undefined,
    warn: (_message: string, fields: LogFields = {}) => void warnings.push(fields),
    error: () => undefined,
  };
  beforeEach(() => void (warnings.length = 0));

  /** Everything of the upstream's address that must not reach a client. */
  const addressParts = (url: string) => [url, new URL(url).host, `:${new URL(url).port}`];

  test('when an upstream is down, then 502 names the service only; its address is in the log', async () => {
    const down = await unusedUrl();
    const gateway = await startGateway({ upstreams: { auth: down }, logger });
    const response = await fetch(`${gateway}/api/v1/auth/login`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(502);
    const text = await response.text();
    expectProblem(JSON.parse(text), 502, 'gateway.upstream_unreachable', '/api/v1/auth/login');
    for (const part of [...addressParts(down), '127.0.0.1', 'ECONNREFUSED']) {
      expect(text).not.toContain(part);
    }
    expect(JSON.parse(text)).toMatchObject({ detail: 'The auth service could not be reached.' });
    expect(warnings).toEqual([expect.objectContaining({ origin: down, error: 'ECONNREFUSED' })]);
  });

  test('when an upstream is slow, then 504 names the service only', async () => {
    const hung = await serve(() => undefined);
    const gateway = await startGateway({
      upstreams: { profile: hung.url },
      upstreamTimeoutMs: 100,
      logger,
    });
    const response = await fetch(`${gateway}/api/v1/users/me`);
    expect(response.status).toBe(504);
    const text = await response.text();
    for (const part of [...addressParts(hung.url), '127.0.0.1']) expect(text).not.toContain(part);
    expect(warnings).toEqual([expect.objectContaining({ origin: hung.url })]);
  });
});
