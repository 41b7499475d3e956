import { readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import request from 'supertest';
import { createTestProfile, type TestProfile, type TestUser } from '../test/harness.ts';

const solid = (format: 'png' | 'jpeg' | 'webp' | 'gif', width = 300, height = 200) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 60 } } })
    .toFormat(format)
    .toBuffer();

/** A tiny PNG whose header claims `width` x `height`: a decompression (pixel-flood) bomb. */
function pixelFloodPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1024))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('avatars', () => {
  let t: TestProfile;
  let user: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    t = await createTestProfile();
    user = await t.registerUser();
    other = await t.registerUser();
  });
  afterAll(async () => t?.close());

  const upload = (who: TestUser, data: Buffer, filename = 'me.png', field = 'avatar') =>
    request(t.app).put('/api/v1/users/me/avatar').set(who.auth).attach(field, data, filename);
  const storedFiles = (userId: string) => {
    try {
      return readdirSync(`${t.config.AVATAR_LOCAL_DIR}/${userId}`).sort();
    } catch {
      return [];
    }
  };

  it.each(['png', 'jpeg', 'webp', 'gif'] as const)(
    'when a %s is uploaded, then it is re-encoded to WebP 256 and 64 px under server-chosen names',
    async (format) => {
      const res = await upload(user, await solid(format), `../../evil ${format}.php`).expect(200);
      expect(res.body.avatarUrl).toMatch(
        new RegExp(`^/api/v1/users/${user.id}/avatar\\?v=[A-Za-z0-9_-]+$`),
      );
      const files = storedFiles(user.id);
      expect(files).toHaveLength(2); // the previous upload's files are gone
      for (const f of files) expect(f).toMatch(/^[A-Za-z0-9_-]+-(256|64)\.webp$/);
      const big = await request(t.app).get(res.body.avatarUrl).set(user.auth).expect(200);
      expect(big.headers['content-type']).toBe('image/webp');
      expect(await sharp(big.body as Buffer).metadata()).toMatchObject({
        format: 'webp',
        width: 256,
        height: 256,
      });
      const small = await request(t.app)
        .get(`/api/v1/users/${user.id}/avatar?size=64`)
        .set(user.auth)
        .expect(200);
      expect(await sharp(small.body as Buffer).metadata()).toMatchObject({ width: 64, height: 64 });
    },
  );

  it('when a JPEG with EXIF (camera, GPS) is uploaded, then the stored image carries no metadata', async () => {
    const withExif = await sharp(await solid('jpeg'))
      .withExif({ IFD0: { Copyright: 'secret-owner', Artist: 'Jane Doe' } })
      .jpeg()
      .toBuffer();
    expect((await sharp(withExif).metadata()).exif).toBeDefined();
    await upload(user, withExif, 'photo.jpg').expect(200);
    const res = await request(t.app)
      .get(`/api/v1/users/${user.id}/avatar`)
      .set(user.auth)
      .expect(200);
    const meta = await sharp(res.body as Buffer).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(Buffer.from(res.body as Buffer).toString('latin1')).not.toContain('secret-owner');
  });

  it('when the avatar is served, then it has nosniff, an ETag, cache headers, and answers 304 to If-None-Match', async () => {
    const res = await request(t.app)
      .get(`/api/v1/users/${user.id}/avatar`)
      .set(user.auth)
      .expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(res.headers['cache-control']).toBe('private, max-age=86400');
    await request(t.app)
      .get(`/api/v1/users/${user.id}/avatar`)
      .set(user.auth)
      .set('If-None-Match', res.headers.etag as string)
      .expect(304);
  });

  it.each([
    ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>')],
    ['HTML', Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>')],
    [
      'a GIF header followed by HTML',
      Buffer.from('GIF89a<html><script>alert(document.cookie)</script>'),
    ],
    ['a PDF', Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n')],
    ['text named .png', Buffer.from('just some text, not an image')],
  ])('when %s is uploaded, then 415 and nothing is stored', async (_name, data) => {
    const before = storedFiles(other.id);
    const res = await upload(other, data, 'avatar.png').expect(415);
    expect(res.body.code).toBe('avatar.unsupported_type');
    expect(storedFiles(other.id)).toEqual(before);
  });

  it('when a valid JPEG carries a script (polyglot), then 415', async () => {
    const polyglot = Buffer.concat([await solid('jpeg'), Buffer.from('<script>alert(1)</script>')]);
    await upload(other, polyglot, 'a.jpg').expect(415);
  });

  it('when a PNG header claims 50000 x 50000 pixels (pixel flood), then 422 before decoding', async () => {
    const started = Date.now();
    const res = await upload(other, pixelFloodPng(50_000, 50_000), 'bomb.png').expect(422);
    expect(res.body.code).toBe('avatar.invalid_image');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('when the file is truncated or corrupt, then 422, never 500', async () => {
    const png = await solid('png');
    await upload(other, png.subarray(0, 60), 'cut.png').expect(422);
  });

  it('when the body is not multipart, the field is wrong, or two files are sent, then 415 or 400', async () => {
    await request(t.app)
      .put('/api/v1/users/me/avatar')
      .set(other.auth)
      .send({ avatar: 'x' })
      .expect(415);
    await upload(other, await solid('png'), 'a.png', 'file').expect(400);
    await request(t.app)
      .put('/api/v1/users/me/avatar')
      .set(other.auth)
      .attach('avatar', await solid('png'), 'a.png')
      .attach('avatar', await solid('png'), 'b.png')
      .expect(400);
  });

  function rawUpload(headers: Record<string, string | number>, totalBytes: number) {
    const server = t.app.listen(0);
    const { port } = server.address() as AddressInfo;
    return new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0;
      const req = httpRequest({
        port,
        method: 'PUT',
        path: '/api/v1/users/me/avatar',
        headers: { ...user.auth, ...headers },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => {
          server.close();
          resolve({ status: res.statusCode ?? 0, sent });
        });
      });
      req.on('error', (error) => {
        server.close();
        reject(error);
      });
      const chunk = Buffer.alloc(64 * 1024, 0x41);
      const head = Buffer.from(
        '--XyZ\r\nContent-Disposition: form-data; name="avatar"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n',
      );
      req.write(head);
      sent += head.length;
      const pump = () => {
        while (sent < totalBytes && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        if (!req.destroyed) req.end();
      };
      pump();
    });
  }

  it('when Content-Length announces more than 5 MB, then 413 before the body is read', async () => {
    const total = 50 * 1024 * 1024;
    const result = await rawUpload(
      { 'Content-Type': 'multipart/form-data; boundary=XyZ', 'Content-Length': total },
      total,
    ).catch((error: NodeJS.ErrnoException) => ({ status: -1, sent: 0, error }));
    expect(result.status).toBe(413);
    expect(result.sent).toBeLessThan(total);
  });

  it('when a chunked upload passes 5 MB, then 413 as soon as it does, without reading the rest', async () => {
    const total = 50 * 1024 * 1024;
    const result = await rawUpload(
      { 'Content-Type': 'multipart/form-data; boundary=XyZ', 'Transfer-Encoding': 'chunked' },
      total,
    );
    expect(result.status).toBe(413);
    expect(result.sent).toBeLessThan(total);
  });

  it("when a user fetches another user's avatar without users:read, then 403; an admin gets it", async () => {
    await request(t.app).get(`/api/v1/users/${user.id}/avatar`).set(other.auth).expect(403);
    const admin = await t.registerUser({ role: 'admin' }, ['users:read']);
    await request(t.app).get(`/api/v1/users/${user.id}/avatar`).set(admin.auth).expect(200);
  });

  it('when the avatar is deleted, then its files are removed, the profile drops avatarUrl and GET is 404', async () => {
    await request(t.app).delete('/api/v1/users/me/avatar').set(user.auth).expect(204);
    expect(storedFiles(user.id)).toEqual([]);
    const me = await request(t.app).get('/api/v1/users/me').set(user.auth).expect(200);
    expect(me.body.avatarUrl).toBeNull();
    await request(t.app).get(`/api/v1/users/${user.id}/avatar`).set(user.auth).expect(404);
    await request(t.app).post('/api/v1/users/me/avatar').set(user.auth).expect(405);
  });
});
