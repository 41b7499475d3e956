// The ingress controller's proxy: finds the route for a request's host and path and forwards it
// (http-proxy-3, keep-alive to the pods) to one ready endpoint, round robin. A request that
// carries no body and fails to connect is tried once more on another endpoint, as nginx's
// proxy_next_upstream does, so a pod that has just gone away costs no failed request.
import {
  Agent,
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { Readable } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';
import { matchRoute, type Route } from './routes.ts';

export interface IngressServerOptions {
  routes: () => readonly Route[];
  log: (entry: Record<string, unknown>) => void;
  /** Milliseconds to wait for a pod's answer. */
  timeoutMs?: number;
}

const RETRY_DELAY_MS = 100;

function problem(res: ServerResponse, status: number, title: string, detail: string): void {
  const body = JSON.stringify({ type: 'about:blank', title, status, detail });
  res.writeHead(status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

const hasBody = (req: IncomingMessage) =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

export function createIngressServer(options: IngressServerOptions): Server {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const proxy = createProxyServer({ xfwd: true, agent, proxyTimeout: options.timeoutMs ?? 60_000 });
  let turn = 0;

  interface Attempt {
    upstream?: string;
    ingress?: string;
  }

  const forward = (req: IncomingMessage, res: ServerResponse, seen: Attempt, attempt: number) => {
    const route = matchRoute(options.routes(), req.headers.host ?? '', req.url ?? '/');
    if (!route) {
      problem(res, 404, 'Not Found', 'No Ingress rule matches this host and path.');
      return;
    }
    if (route.endpoints.length === 0) {
      problem(res, 503, 'Service Unavailable', `No ready endpoint behind ${route.ingress}.`);
      return;
    }
    // A retry skips the endpoint that just failed (when there is another).
    const candidates =
      attempt > 0 && route.endpoints.length > 1
        ? route.endpoints.filter((e) => e !== seen.upstream)
        : route.endpoints;
    const endpoint = candidates[turn++ % candidates.length] ?? '';
    const retriable = !hasBody(req);
    seen.upstream = endpoint;
    seen.ingress = route.ingress;
    proxy.web(
      req,
      res,
      { target: `http://${endpoint}`, ...(retriable ? { buffer: Readable.from([]) } : {}) },
      (error: Error) => {
        if (res.headersSent) {
          res.destroy(error);
          return;
        }
        if (retriable && attempt === 0) {
          options.log({
            msg: 'retrying on another endpoint',
            upstream: endpoint,
            error: error.message,
          });
          setTimeout(() => forward(req, res, seen, 1), RETRY_DELAY_MS);
          return;
        }
        options.log({ msg: 'upstream failed', upstream: endpoint, error: error.message });
        problem(res, 502, 'Bad Gateway', `The backend of ${route.ingress} did not answer.`);
      },
    );
  };

  return createServer((req, res) => {
    const started = Date.now();
    const seen: Attempt = {};
    res.once('finish', () =>
      options.log({
        method: req.method,
        host: req.headers.host,
        path: (req.url ?? '').split('?')[0],
        status: res.statusCode,
        ...seen,
        ms: Date.now() - started,
      }),
    );
    forward(req, res, seen, 0);
  });
}
