// Shared by the gateway's tests: real HTTP upstream stand-ins and a gateway in front of them.
import type { CreateGatewayOptions } from './create-gateway.ts';
import { createGateway } from './create-gateway.ts';
import type { EchoUpstream, RunningServer } from './test-servers.ts';
import { echoUpstream, startServer } from './test-servers.ts';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests walk arbitrary merged OpenAPI JSON
export type Loose = Record<string, any>;

const running: RunningServer[] = [];

export async function serve(handler: Parameters<typeof startServer>[0]): Promise<RunningServer> {
  const server = await startServer(handler);
  running.push(server);
  return server;
}

export async function serveEcho(
  service: string,
  openapi?: Loose,
): Promise<[EchoUpstream, RunningServer]> {
  const upstream = echoUpstream(service, openapi);
  return [upstream, await serve(upstream.handler)];
}

export async function startGateway(options: CreateGatewayOptions): Promise<string> {
  return (await serve(createGateway(options))).url;
}

/** Closes every server a test started; call from `afterEach`. */
export async function closeServers(): Promise<void> {
  await Promise.all(running.splice(0).map((server) => server.close()));
}

export async function json(response: Response): Promise<Loose> {
  return (await response.json()) as Loose;
}

export function expectProblem(body: Loose, status: number, code: string, instance: string): void {
  expect(body).toEqual({
    type: `urn:ums:problem:${code}`,
    title: expect.any(String),
    status,
    detail: expect.any(String),
    code,
    instance,
    requestId: expect.stringMatching(UUID),
  });
}
