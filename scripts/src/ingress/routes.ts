// The routing table of the local cluster's ingress controller, computed from Ingresses, Services
// and EndpointSlices as the API serves them (networking.k8s.io/v1 semantics: exact hosts and
// `*.` wildcards, Exact and Prefix paths, longest match first, only ready endpoints). Pure.

export interface IngressObject {
  metadata: { name?: string; namespace?: string; annotations?: Record<string, string> };
  spec?: {
    ingressClassName?: string;
    defaultBackend?: { service?: ServiceBackend };
    rules?: {
      host?: string;
      http?: {
        paths: { path?: string; pathType: string; backend: { service?: ServiceBackend } }[];
      };
    }[];
  };
}

interface ServiceBackend {
  name: string;
  port?: { number?: number; name?: string };
}

export interface ServiceObject {
  metadata: { name?: string; namespace?: string };
  spec?: {
    ports?: { name?: string; port: number; targetPort?: number | string; protocol?: string }[];
  };
}

export interface EndpointSliceObject {
  metadata: { namespace?: string; labels?: Record<string, string> };
  addressType?: string;
  ports?: { name?: string; port?: number; protocol?: string }[] | null;
  endpoints?: { addresses: string[]; conditions?: { ready?: boolean | null } }[] | null;
}

export interface Route {
  /** `ums.localtest.me`, `*.example.com`, or '' for any host. */
  host: string;
  path: string;
  pathType: 'Exact' | 'Prefix';
  /** `namespace/ingress`, for logs and status. */
  ingress: string;
  /** `host:port` of every ready endpoint, in a stable order. */
  endpoints: string[];
}

export interface ClassChoice {
  /** The IngressClass this controller serves. */
  className: string;
  /** Whether that class is the cluster's default (Ingresses without a class are then ours). */
  isDefault: boolean;
}

export function servesIngress(ingress: IngressObject, choice: ClassChoice): boolean {
  const className =
    ingress.spec?.ingressClassName ?? ingress.metadata.annotations?.['kubernetes.io/ingress.class'];
  return className === undefined ? choice.isDefault : className === choice.className;
}

/** `host:port` of the ready endpoints behind one Service port. */
export function readyEndpoints(
  service: ServiceObject | undefined,
  port: ServiceBackend['port'],
  slices: readonly EndpointSliceObject[],
): string[] {
  const servicePort = service?.spec?.ports?.find((p) =>
    port?.name ? p.name === port.name : p.port === port?.number,
  );
  if (!service || !servicePort) return [];
  const out = new Set<string>();
  for (const slice of slices) {
    if (slice.metadata.labels?.['kubernetes.io/service-name'] !== service.metadata.name) continue;
    if (slice.metadata.namespace !== service.metadata.namespace) continue;
    if (slice.addressType !== 'IPv4') continue;
    // The slice's port carries the Service port's name, with the resolved container port.
    const target = (slice.ports ?? []).find((p) => (p.name ?? '') === (servicePort.name ?? ''));
    if (!target?.port) continue;
    for (const endpoint of slice.endpoints ?? []) {
      // Terminating endpoints are not ready: they get no new requests while they drain.
      if (endpoint.conditions?.ready === false) continue;
      for (const address of endpoint.addresses) out.add(`${address}:${target.port}`);
    }
  }
  return [...out].sort();
}

export function buildRoutes(
  ingresses: readonly IngressObject[],
  services: readonly ServiceObject[],
  slices: readonly EndpointSliceObject[],
  choice: ClassChoice,
): Route[] {
  const routes: Route[] = [];
  const serviceIn = (namespace: string | undefined, name: string) =>
    services.find((s) => s.metadata.namespace === namespace && s.metadata.name === name);
  for (const ingress of ingresses) {
    if (!servesIngress(ingress, choice)) continue;
    const ns = ingress.metadata.namespace;
    const id = `${ns}/${ingress.metadata.name}`;
    const to = (backend: ServiceBackend) =>
      readyEndpoints(serviceIn(ns, backend.name), backend.port, slices);
    for (const rule of ingress.spec?.rules ?? []) {
      for (const p of rule.http?.paths ?? []) {
        if (!p.backend.service) continue;
        routes.push({
          host: rule.host ?? '',
          path: p.path || '/',
          pathType: p.pathType === 'Exact' ? 'Exact' : 'Prefix',
          ingress: id,
          endpoints: to(p.backend.service),
        });
      }
    }
    const fallback = ingress.spec?.defaultBackend?.service;
    if (fallback)
      routes.push({
        host: '',
        path: '/',
        pathType: 'Prefix',
        ingress: id,
        endpoints: to(fallback),
      });
  }
  return routes;
}

function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '') return true;
  if (pattern.startsWith('*.')) {
    const suffix = pattern.slice(1);
    // A wildcard covers exactly one DNS label.
    return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.');
  }
  return pattern === host;
}

function pathMatches(route: Route, path: string): boolean {
  if (route.pathType === 'Exact') return path === route.path;
  // Prefix matches whole path elements: /api matches /api and /api/x, not /apix.
  const prefix = route.path.replace(/\/+$/, '');
  return prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
}

const specificity = (route: Route) =>
  (route.host === '' ? 0 : route.host.startsWith('*.') ? 1 : 2) * 1e6 +
  (route.pathType === 'Exact' ? 5e5 : 0) +
  route.path.length;

/** The route for a request: exact hosts before wildcards before any host; longest path first. */
export function matchRoute(
  routes: readonly Route[],
  hostHeader: string,
  url: string,
): Route | undefined {
  const host = hostHeader.replace(/:\d+$/, '').toLowerCase();
  const path = url.split('?')[0] ?? '/';
  let best: Route | undefined;
  for (const route of routes) {
    if (!hostMatches(route.host, host) || !pathMatches(route, path)) continue;
    if (!best || specificity(route) > specificity(best)) best = route;
  }
  return best;
}
