import { createServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';

export function listen(handler: RequestListener, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(handler);
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

export function serverUrl(server: Server): string {
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('server is not listening on a TCP port');
  }
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * Stops accepting connections, lets in-flight requests finish and closes keep-alive sockets as
 * soon as they are idle; whatever is still busy after `graceMs` is cut. Resolves to whether
 * every request got to finish.
 */
export function shutdownServer(server: Server, graceMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let graceful = true;
    // A keep-alive socket turns idle only after its last response, so keep sweeping until closed.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => {
      graceful = false;
      server.closeAllConnections();
    }, graceMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve(graceful);
    });
    server.closeIdleConnections();
  });
}
