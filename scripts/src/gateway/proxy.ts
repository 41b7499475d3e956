// The module objects, not named imports: OpenTelemetry's http instrumentation (when tracing is on)
// replaces `request` on them, which a named import would have captured before the patch.
import http from 'node:http';
import type {
  IncomingHttpHeaders,
  IncomingMessage,
  OutgoingHttpHeaders,
  ServerResponse,
} from 'node:http';
import https from 'node:https';
import { TLSSocket } from 'node:tls';
import { closeAfterAnswer } from '@ums/service-kit/staged-close';
import type { GatewayLogger } from './logger.ts';
import { sendProblem } from './problem.ts';
import { REQUEST_ID_HEADER } from './request-id.ts';

export interface ProxyTarget {
  readonly service: string;
  /** Bare origin, e.g. `http://127.0.0.1:3001`. */
  readonly origin: string;
}

export interface ProxyContext {
  /** Raw request target (path + query) forwarded verbatim: services serve their full paths. */
  readonly path: string;
  readonly requestId: string;
  readonly timeoutMs: number;
  readonly logger: GatewayLogger;
  /** Local address the upstream connection leaves from (see CreateGatewayOptions). */
  readonly sourceAddress?: string | undefined;
}

// RFC 9110 §7.6.1: connection-scoped headers must not be forwarded by an intermediary.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

// The gateway is the first trusted hop (like the Ingress), so client-supplied forwarding headers
// are replaced rather than appended: otherwise a client could spoof its IP for rate limits/audit.
const GATEWAY_OWNED_REQUEST_HEADERS = new Set([
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-forwarded-proto',
  'x-real-ip',
  REQUEST_ID_HEADER,
]);

/** This gateway's `Via` entry (RFC 9110 §7.6.3): a request that already carries it has looped. */
export const VIA_TOKEN = 'ums-gateway';

/** Whether a `Via` header lists this gateway among the hops the request has passed. */
export function passedThisGateway(via: string | undefined): boolean {
  return (via ?? '').split(',').some((hop) => hop.trim().split(/\s+/)[1] === VIA_TOKEN);
}

const STRIPPED_RESPONSE_HEADERS = new Set(['x-powered-by']);

class UpstreamTimeoutError extends Error {
  override name = 'UpstreamTimeoutError';
}

function connectionTokens(headers: IncomingHttpHeaders): Set<string> {
  const value = headers.connection ?? '';
  return new Set(
    value
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
}

function copyHeaders(headers: IncomingHttpHeaders, drop: ReadonlySet<string>): OutgoingHttpHeaders {
  const listed = connectionTokens(headers);
  const copy: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name) || drop.has(name)) continue;
    copy[name] = value;
  }
  return copy;
}

function clientAddress(req: IncomingMessage): string | undefined {
  const address = req.socket.remoteAddress;
  return address?.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

/** Request headers for the upstream: end-to-end headers (cookies included) plus forwarding info. */
export function buildUpstreamRequestHeaders(
  req: IncomingMessage,
  requestId: string,
): OutgoingHttpHeaders {
  const headers = copyHeaders(req.headers, GATEWAY_OWNED_REQUEST_HEADERS);
  const client = clientAddress(req);
  if (client) {
    headers['x-forwarded-for'] = client;
    headers['x-real-ip'] = client;
  }
  headers['x-forwarded-proto'] = req.socket instanceof TLSSocket ? 'https' : 'http';
  if (req.headers.host) headers['x-forwarded-host'] = req.headers.host;
  if (req.socket.localPort) headers['x-forwarded-port'] = String(req.socket.localPort);
  headers[REQUEST_ID_HEADER] = requestId;
  const via = req.headers.via;
  headers['via'] = `${via ? `${via}, ` : ''}1.1 ${VIA_TOKEN}`;
  // Host is kept as the client sent it (Ingress default) so services build public URLs correctly.
  return headers;
}

/** Response headers for the client: Set-Cookie arrays survive, framework fingerprints do not. */
export function buildClientResponseHeaders(
  headers: IncomingHttpHeaders,
  requestId: string,
): OutgoingHttpHeaders {
  return { ...copyHeaders(headers, STRIPPED_RESPONSE_HEADERS), [REQUEST_ID_HEADER]: requestId };
}

function errorCode(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' ? code : error.name;
}

function failBeforeResponse(
  error: Error,
  res: ServerResponse,
  target: ProxyTarget,
  context: ProxyContext,
): void {
  const instance = context.path.split('?')[0] ?? '/';
  const timedOut = error instanceof UpstreamTimeoutError;
  // Where the upstream runs and how it failed is for the log only: a client learns which service
  // failed, never its address.
  context.logger.warn(timedOut ? 'upstream timeout' : 'upstream unreachable', {
    service: target.service,
    origin: target.origin,
    error: errorCode(error),
    requestId: context.requestId,
  });
  sendProblem(res, {
    status: timedOut ? 504 : 502,
    title: timedOut ? 'Upstream timed out' : 'Upstream unreachable',
    code: timedOut ? 'gateway.upstream_timeout' : 'gateway.upstream_unreachable',
    detail: timedOut
      ? `The ${target.service} service did not respond within ${context.timeoutMs} ms.`
      : `The ${target.service} service could not be reached.`,
    instance,
    requestId: context.requestId,
  });
}

/**
 * Streams the request to the upstream and the response back, without buffering either body.
 * Errors before the upstream answered become 502/504 problems; a response cut short aborts the
 * client's, because a half-sent body cannot be turned into a problem document.
 */
export function proxyRequest(
  req: IncomingMessage,
  res: ServerResponse,
  target: ProxyTarget,
  context: ProxyContext,
): void {
  const url = new URL(target.origin);
  const send = url.protocol === 'https:' ? https.request : http.request;
  const upstreamReq = send({
    protocol: url.protocol,
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port || undefined,
    method: req.method,
    path: context.path,
    headers: buildUpstreamRequestHeaders(req, context.requestId),
    ...(context.sourceAddress === undefined ? {} : { localAddress: context.sourceAddress }),
  });

  upstreamReq.setTimeout(context.timeoutMs, () => {
    upstreamReq.destroy(new UpstreamTimeoutError(`no response within ${context.timeoutMs} ms`));
  });

  upstreamReq.on('response', (upstreamRes) => {
    // An answer before the client's body is all sent (a 413 on Content-Length, say): like the
    // service, stop reading that body and end the connection after the answer, in stages.
    const refusedBody = !req.complete;
    if (refusedBody) {
      req.unpipe(upstreamReq);
      req.pause();
      closeAfterAnswer(req, res);
    }
    res.writeHead(
      upstreamRes.statusCode ?? 502,
      upstreamRes.statusMessage,
      buildClientResponseHeaders(upstreamRes.headers, context.requestId),
    );
    // pipe() does not forward errors; a reset upstream must not leave the client hanging.
    upstreamRes.once('close', () => {
      if (!upstreamRes.complete) res.destroy();
    });
    upstreamRes.pipe(res);
    // The rest of the refused body will never be sent: the upstream connection cannot be reused.
    if (refusedBody) upstreamRes.once('end', () => upstreamReq.destroy());
  });

  upstreamReq.on('error', (error) => {
    // Once the answer has started, its own 'close' decides: an upstream that refused the rest of
    // a body (EPIPE, ECONNRESET while it is still sent) may still have sent a whole answer.
    if (res.headersSent || res.destroyed) return;
    failBeforeResponse(error, res, target, context);
  });

  // A client that goes away must not keep the upstream request (and its socket) busy.
  res.on('close', () => {
    if (!res.writableFinished) upstreamReq.destroy();
  });
  req.on('error', () => upstreamReq.destroy());
  req.pipe(upstreamReq);
}
