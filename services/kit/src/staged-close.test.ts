import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { closeAfterAnswer } from './staged-close.ts';

const LIMIT = 1024 * 1024;

/** Refuses any body over LIMIT from its Content-Length, before reading a byte of it. */
function refusingServer(lingerMs: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (Number(req.headers['content-length']) > LIMIT) {
      req.pause();
      closeAfterAnswer(req, res, lingerMs);
      const body = '{"code":"request.too_large"}';
      res.writeHead(413, {
        'content-type': 'application/problem+json',
        'content-length': body.length,
      });
      res.end(body);
      return;
    }
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

interface Exchange {
  socket: Socket;
  answer: Promise<string>;
  closed: Promise<NodeJS.ErrnoException | undefined>;
}

/** A raw client announcing 64 MB and sending the first of it at once, like a proxy streaming. */
function upload(server: Server): Exchange {
  const { port } = server.address() as AddressInfo;
  // Half-open allowed: a proxy goes on sending what it has after the server's FIN.
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  socket.write(
    'PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n' +
      `Content-Length: ${64 * LIMIT}\r\n\r\n`,
  );
  socket.write(Buffer.alloc(LIMIT, 0x41));
  let received = '';
  const answer = new Promise<string>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.endsWith('}')) resolve(received);
    });
  });
  let error: NodeJS.ErrnoException | undefined;
  socket.on('error', (e: NodeJS.ErrnoException) => (error = e));
  const closed = new Promise<NodeJS.ErrnoException | undefined>((resolve) =>
    socket.once('close', () => resolve(error)),
  );
  return { socket, answer, closed };
}

describe('closeAfterAnswer', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.closeAllConnections();
    server?.close();
  });

  it('when the client goes on sending after the answer, then it reads the whole answer and the connection ends without a reset', async () => {
    server = await refusingServer(5_000);
    const { socket, answer, closed } = upload(server);
    const text = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text).toMatch(/\r\nconnection: close\r\n/i);
    expect(text).toContain('{"code":"request.too_large"}');
    // What a proxy still had in flight when the answer came: read and dropped, not a reset.
    socket.write(Buffer.alloc(LIMIT / 2, 0x42));
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.end();
    expect(await closed).toBeUndefined();
  });

  it('when the client never stops sending, then the connection is cut after the linger time', async () => {
    server = await refusingServer(200);
    const { socket, answer, closed } = upload(server);
    await answer;
    const chunk = Buffer.alloc(64 * 1024, 0x43);
    const pump = setInterval(() => socket.writable && socket.write(chunk), 5);
    try {
      await closed;
      expect(socket.destroyed).toBe(true);
    } finally {
      clearInterval(pump);
    }
  });
});
