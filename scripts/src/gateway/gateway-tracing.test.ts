import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serveEcho, closeServers } from './gateway-test-support.ts';

afterEach(closeServers);

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

interface OtlpSpan {
  traceId: string;
  spanId: string;
  name: string;
  kind: number;
}
interface OtlpExport {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
}

/** A stand-in OTLP/HTTP receiver keeping every /v1/traces body. */
async function otlpReceiver() {
  const bodies: OtlpExport[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces') bodies.push(JSON.parse(body) as OtlpExport);
      res.setHeader('Content-Type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('gateway tracing', () => {
  it('when OTEL_EXPORTER_OTLP_ENDPOINT is set, then each request is a gateway span and the service receives its traceparent', async () => {
    const receiver = await otlpReceiver();
    const [auth, authServer] = await serveEcho('auth');
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        GATEWAY_HOST: '127.0.0.1',
        GATEWAY_PORT: '0',
        AUTH_URL: authServer.url,
        PROFILE_URL: '',
        WEB_URL: '',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      const deadline = Date.now() + 15_000;
      while (!/listening on (http:\/\/\S+)/.test(stdout) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 25));
      const gateway = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      expect(stdout).toContain('tracing  on');
      expect((await fetch(`${gateway}/api/v1/auth/me`)).status).toBe(200);
      child.kill('SIGTERM');
      await exited;

      const traceparent = String(auth.requests[0]?.headers.traceparent ?? '');
      expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      const [, traceId, parentId] = traceparent.split('-');
      const gatewaySpans = receiver.bodies
        .flatMap((b) => b.resourceSpans)
        .filter((r) =>
          r.resource.attributes.some(
            (a) => a.key === 'service.name' && a.value.stringValue === 'gateway',
          ),
        )
        .flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
      const server = gatewaySpans.find((s) => s.kind === 2 && s.traceId === traceId);
      expect(server).toBeDefined();
      // The service's parent is the gateway's outgoing (client) span of the same trace.
      const client = gatewaySpans.find((s) => s.spanId === parentId);
      expect(client).toMatchObject({ traceId, kind: 3 });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await receiver.close();
    }
  }, 30_000);
});
