import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createS3Storage, putObjectInput } from './s3-storage.ts';
import { createLocalStorage } from './local-storage.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Just enough of the S3 REST API (path-style PUT, GET, DELETE) to exercise the real SDK. */
async function fakeS3() {
  const objects = new Map<string, { body: Buffer; type: string }>();
  const requests: { method: string; path: string; headers: IncomingHttpHeaders }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
      requests.push({ method: req.method ?? '', path, headers: req.headers });
      if (req.method === 'PUT') {
        objects.set(path, {
          body: Buffer.concat(chunks),
          type: String(req.headers['content-type']),
        });
        res.writeHead(200, { ETag: '"abc"' }).end();
      } else if (req.method === 'GET') {
        const found = objects.get(path);
        if (!found) {
          res.writeHead(404, { 'Content-Type': 'application/xml' });
          res.end(
            '<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>missing</Message></Error>',
          );
          return;
        }
        res
          .writeHead(200, { 'Content-Type': found.type, 'Content-Length': found.body.length })
          .end(found.body);
      } else if (req.method === 'DELETE') {
        objects.delete(path);
        res.writeHead(204).end();
      } else res.writeHead(405).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    objects,
    requests,
    close: () => new Promise((r) => server.close(r)),
  };
}

describe('avatar storage drivers', () => {
  it('when the S3 driver puts, gets and deletes, then the real SDK sends signed path-style requests with type and encryption', async () => {
    const s3 = await fakeS3();
    try {
      const storage = createS3Storage({
        bucket: 'ums-avatars',
        region: 'eu-west-1',
        endpoint: s3.url,
        forcePathStyle: true,
        prefix: 'avatars/',
        credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'test-secret-key-000' },
      });
      const body = Buffer.from('webp-bytes');
      await storage.put('user-1/v1-256.webp', body, 'image/webp');
      const put = s3.requests.find((r) => r.method === 'PUT');
      expect(put).toMatchObject({
        path: '/ums-avatars/avatars/user-1/v1-256.webp',
        headers: { 'content-type': 'image/webp', 'x-amz-server-side-encryption': 'AES256' },
      });
      expect(put?.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIATEST\/\d{8}\/eu-west-1\/s3\/aws4_request/,
      );
      expect(await storage.get('user-1/v1-256.webp')).toEqual(body);
      expect(await storage.get('user-1/missing.webp')).toBeUndefined();
      await storage.delete('user-1/v1-256.webp');
      expect(s3.objects.size).toBe(0);
    } finally {
      await s3.close();
    }
  });

  it('when a key could escape its place, then both drivers refuse it', async () => {
    expect(() =>
      putObjectInput({ bucket: 'b' }, '../etc/passwd', Buffer.alloc(1), 'image/webp'),
    ).toThrow('invalid storage key');
    const dir = mkdtempSync(join(tmpdir(), 'profile-storage-'));
    try {
      const local = createLocalStorage(dir);
      for (const key of ['../x', '/etc/passwd', 'a/../../x', 'a/./b', 'a b', '', 'a\\b']) {
        await expect(local.put(key, Buffer.alloc(1), 'image/webp')).rejects.toThrow(
          'invalid storage key',
        );
      }
      await local.put('u/ok-64.webp', Buffer.from('x'), 'image/webp');
      expect(await local.get('u/ok-64.webp')).toEqual(Buffer.from('x'));
      await local.delete('u/ok-64.webp');
      await local.delete('u/ok-64.webp');
      expect(await local.get('u/ok-64.webp')).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
