// Test fixtures only: real HTTP servers on port 0 standing in for the auth/profile/web services.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type {
  IncomingHttpHeaders,
  IncomingMessage,
  RequestListener,
  ServerResponse,
} from 'node:http';
import { closeAfterAnswer } from '@ums/service-kit/staged-close';

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly bodySha256: string;
  readonly bodyLength: number;
  /** The peer the request came from, as the service sees it. */
  readonly remoteAddress: string | undefined;
}

export interface EchoUpstream {
  readonly handler: RequestListener;
  readonly requests: RecordedRequest[];
  /** Replaceable so a test can change what the service documents between calls. */
  openapi: Record<string, unknown> | undefined;
}

/** Listens on `port` (default: any free one) on 127.0.0.1. */
export function startServer(handler: RequestListener, port = 0): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = createServer(handler);
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('no TCP port'));
      resolve({
        url: `http://127.0.0.1:${address.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** A URL nobody listens on: bind port 0, then release it (ECONNREFUSED on connect). */
export async function unusedUrl(): Promise<string> {
  const server = await startServer(() => undefined);
  await server.close();
  return server.url;
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Hashes the body while it streams in, so large uploads are never buffered by the fixture. */
function recordRequest(req: IncomingMessage): Promise<RecordedRequest> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let bodyLength = 0;
    req.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bodyLength += chunk.length;
    });
    req.on('error', reject);
    req.on('end', () =>
      resolve({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        bodySha256: hash.digest('hex'),
        bodyLength,
        remoteAddress: req.socket.remoteAddress,
      }),
    );
  });
}

/**
 * Serves `/health`, `/api-docs/openapi.json` (when set) and echoes every other request as JSON,
 * answering with two cookies and an `X-Powered-By` header the gateway has to deal with.
 */
export function echoUpstream(service: string, openapi?: Record<string, unknown>): EchoUpstream {
  const upstream: EchoUpstream = {
    requests: [],
    openapi,
    handler: (req, res) => {
      if (req.url === '/health') return sendJson(res, 200, { status: 'ok' });
      if (req.url === '/api-docs/openapi.json') {
        return upstream.openapi ? sendJson(res, 200, upstream.openapi) : sendJson(res, 404, {});
      }
      void recordRequest(req).then((recorded) => {
        upstream.requests.push(recorded);
        res.setHeader('x-powered-by', 'Express');
        res.setHeader('x-upstream', service);
        res.setHeader('set-cookie', ['session=abc; Path=/; HttpOnly', 'csrf=xyz; Path=/']);
        sendJson(res, 200, { service, ...recorded });
      });
    },
  };
  return upstream;
}

export interface RefusingUpstream {
  readonly handler: RequestListener;
  /** Body bytes each refused connection read in all, counted when it closed. */
  readonly bytesRead: number[];
}

/**
 * Refuses bodies over `limit` bytes with 413 as the profile service refuses avatars: at once from
 * Content-Length, else as soon as the streamed body passes the limit; the rest is never read and
 * the connection is closed in stages after the answer (closeAfterAnswer).
 */
export function refusingUpstream(limit: number): RefusingUpstream {
  const upstream: RefusingUpstream = {
    bytesRead: [],
    handler: (req, res) => {
      const refuse = () => {
        req.pause();
        req.socket.once('close', () => upstream.bytesRead.push(req.socket.bytesRead));
        closeAfterAnswer(req, res);
        sendJson(res, 413, { code: 'avatar.too_large' });
      };
      if (Number(req.headers['content-length']) > limit) return refuse();
      let seen = 0;
      const count = (chunk: Buffer) => {
        seen += chunk.length;
        if (seen <= limit) return;
        req.off('data', count);
        refuse();
      };
      req.on('data', count);
      req.on('end', () => {
        if (seen <= limit) sendJson(res, 200, { bodyLength: seen });
      });
    },
  };
  return upstream;
}
