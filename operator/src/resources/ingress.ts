// The Ingress: one public origin, routed by path prefix as @ums/contracts/paths says (the HTTP
// contract in docs/architecture.md). The local gateway (scripts/src/gateway) routes the same way.
import type { V1HTTPIngressPath, V1Ingress } from '@kubernetes/client-node';
import { serviceNames, servicePathPrefixes } from '@ums/contracts/paths';
import type { InstanceRef } from '../api/types.ts';
import { childMeta, childName } from './meta.ts';
import { servicePortName } from './service.ts';

/** Each service's prefixes, then everything else to the web app. */
export const routes: { component: 'auth' | 'profile' | 'web'; prefixes: readonly string[] }[] = [
  ...serviceNames.map((component) => ({ component, prefixes: servicePathPrefixes[component] })),
  { component: 'web', prefixes: ['/'] },
];

/** Where users reach the instance: the Ingress host, or the in-cluster web Service without one. */
export function publicEndpoint(instance: InstanceRef): string {
  const { ingress } = instance.spec;
  if (ingress.enabled && ingress.host) return `${ingress.tls ? 'https' : 'http'}://${ingress.host}`;
  return `http://${childName(instance, 'web')}.${instance.namespace}.svc`;
}

export function buildIngress(instance: InstanceRef): V1Ingress | undefined {
  const { ingress } = instance.spec;
  if (!ingress.enabled || !ingress.host) return undefined;
  const paths: V1HTTPIngressPath[] = routes.flatMap(({ component, prefixes }) =>
    prefixes.map((path) => ({
      path,
      pathType: 'Prefix',
      backend: {
        service: { name: childName(instance, component), port: { name: servicePortName } },
      },
    })),
  );
  const meta = childMeta(instance, instance.name);
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { ...meta, ...(ingress.annotations ? { annotations: ingress.annotations } : {}) },
    spec: {
      ...(ingress.className ? { ingressClassName: ingress.className } : {}),
      ...(ingress.tls
        ? { tls: [{ hosts: [ingress.host], secretName: ingress.tls.secretName }] }
        : {}),
      rules: [{ host: ingress.host, http: { paths } }],
    },
  };
}
