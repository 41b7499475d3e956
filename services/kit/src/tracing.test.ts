import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { startTracing } from './tracing.ts';

// Jest runs these tests as native ES modules, where __dirname does not exist.
const here = fileURLToPath(new URL('.', import.meta.url));

const run = promisify(execFile);

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number };
}
interface OtlpSpan {
  name: string;
  attributes: OtlpAttribute[];
}
interface OtlpExport {
  resourceSpans: {
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
}

// Jest loads modules through its own registry, which OpenTelemetry's require/import hooks never
// see; so the "on" case runs in a real Node process, the way a service starts.
const childScript = `
const [tracingUrl, endpoint] = process.argv.slice(1);
const { startTracing } = await import(tracingUrl);
const tracing = startTracing({ serviceName: 'kit-tracing-test', otlpEndpoint: endpoint });
const { default: express } = await import('express');
const app = express();
app.get('/users/:id', (_req, res) => { res.json({ ok: true }); });
const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const res = await fetch('http://127.0.0.1:' + server.address().port + '/users/7?token=abc');
await res.text();
await tracing.forceFlush();
await tracing.shutdown();
server.close();
`;

async function startReceiver() {
  const exports: { url: string; contentType: string; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      exports.push({ url: req.url ?? '', contentType: req.headers['content-type'] ?? '', body });
      res.setHeader('Content-Type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, exports, port: (server.address() as AddressInfo).port };
}

function attr(attributes: OtlpAttribute[], key: string): string | undefined {
  return attributes.find((a) => a.key === key)?.value.stringValue;
}

describe('startTracing', () => {
  it('when no OTLP endpoint is configured, then tracing stays off', () => {
    expect(startTracing({ serviceName: 'svc' })).toBeUndefined();
  });

  it('when an endpoint is configured, then spans of a real HTTP request reach the OTLP receiver', async () => {
    const receiver = await startReceiver();
    try {
      const tracingUrl = pathToFileURL(path.join(here, 'tracing.ts')).href;
      const endpoint = `http://127.0.0.1:${receiver.port}/`;
      await run(
        process.execPath,
        ['--input-type=module', '-e', childScript, tracingUrl, endpoint],
        {
          cwd: path.join(here, '..'),
          env: { PATH: process.env.PATH, OTEL_SDK_DISABLED: 'false' },
          timeout: 20_000,
        },
      );
      const traceExports = receiver.exports.filter((e) => e.url === '/v1/traces');
      expect(traceExports.length).toBeGreaterThan(0);
      const payloads = traceExports.map((e) => JSON.parse(e.body) as OtlpExport);
      const resourceSpans = payloads.flatMap((p) => p.resourceSpans);
      expect(resourceSpans.map((r) => attr(r.resource.attributes, 'service.name'))).toContain(
        'kit-tracing-test',
      );
      const spans = resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
      const serverSpan = spans.find((s) => s.name === 'GET /users/:id');
      expect(serverSpan).toBeDefined();
      expect(attr(serverSpan?.attributes ?? [], 'http.route')).toBe('/users/:id');
      expect(spans.some((s) => s.name.startsWith('request handler'))).toBe(true);
      expect(attr(serverSpan?.attributes ?? [], 'url.query')).toBe('token=REDACTED');
    } finally {
      receiver.server.close();
    }
  }, 30_000);
});
