// The local cluster's ingress controller (docs/local-cluster.md, "Ingress"): serves the Ingresses
// of class INGRESS_CLASS (the cluster's default) on INGRESS_LISTEN, health on INGRESS_HEALTH_LISTEN.
// Started by scripts/lib/platform-addons.sh with its own kubeconfig.
import { createServer } from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';
import { IngressController } from './controller.ts';
import { createIngressServer } from './server.ts';

function listenAddress(
  value: string | undefined,
  fallback: string,
): { host: string; port: number } {
  const [host = '127.0.0.1', port = ''] = (value ?? fallback).split(':');
  const parsed = Number(port);
  if (!Number.isInteger(parsed) || parsed <= 0 || parsed > 65535) {
    throw new Error(`invalid listen address ${value} (expected host:port)`);
  }
  return { host, port: parsed };
}

const log = (entry: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);

const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault();
const controller = new IngressController({
  kubeConfig,
  className: process.env.INGRESS_CLASS ?? 'ums',
  controllerName: process.env.INGRESS_CONTROLLER_NAME ?? 'platform.ums.dev/local-ingress',
  statusAddress: process.env.INGRESS_STATUS_ADDRESS ?? '127.0.0.1',
  log,
});
const web = listenAddress(process.env.INGRESS_LISTEN, '127.0.0.1:58080');
const health = listenAddress(process.env.INGRESS_HEALTH_LISTEN, '127.0.0.1:58081');

const proxy = createIngressServer({ routes: () => controller.routes, log });
const healthServer = createServer((req, res) => {
  const ok = req.url === '/ping' && controller.synced;
  res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'OK' : 'not synced');
});

await controller.start();
proxy.listen(web.port, web.host);
healthServer.listen(health.port, health.host);
log({
  msg: 'ingress controller serving',
  listen: `${web.host}:${web.port}`,
  routes: controller.routes.length,
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    proxy.close();
    healthServer.close();
    void controller.stop().finally(() => process.exit(0));
  });
}
