import type { IncomingMessage, ServerResponse } from 'node:http';

/** How long a refused client may go on sending before its connection is cut. */
export const LINGER_MS = 2_000;

/**
 * For an answer sent before the request's body was read (a 413 on Content-Length, say): the
 * answer says `Connection: close`, and the connection is closed in stages (RFC 9112 §9.6): FIN
 * after the answer, whatever the client still sends read and dropped (never buffered), the
 * socket destroyed once the client closes its side too or after `lingerMs`.
 *
 * Closing at once, as Node does after a `Connection: close` answer, leaves the unread body in
 * the receive buffer, and the kernel answers that with a reset: a client or proxy still sending
 * (the gateway, an Ingress) then gets EPIPE or ECONNRESET instead of the answer, and a proxy
 * turns that into a 502.
 */
export function closeAfterAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  lingerMs = LINGER_MS,
): void {
  res.setHeader('Connection', 'close');
  const socket = req.socket;
  // Node ends a `Connection: close` answer with destroySoon() (FIN, then close at once): this
  // socket's is replaced by the staged close.
  socket.destroySoon = () => {
    socket.end();
    req.unpipe();
    req.resume();
    const timer = setTimeout(() => socket.destroy(), lingerMs);
    timer.unref();
    socket.once('end', () => socket.destroy());
    socket.once('close', () => clearTimeout(timer));
  };
}
