import {
  buildRoutes,
  matchRoute,
  type EndpointSliceObject,
  type IngressObject,
  type ServiceObject,
} from './routes.ts';

const ours = { className: 'ums', isDefault: true };

const ingress = (spec: IngressObject['spec'], name = 'dev', namespace = 'apps'): IngressObject => ({
  metadata: { name, namespace },
  spec,
});

const service = (
  name: string,
  ports: { name?: string; port: number }[],
  namespace = 'apps',
): ServiceObject => ({
  metadata: { name, namespace },
  spec: { ports },
});

const slice = (
  serviceName: string,
  port: { name?: string; port: number },
  endpoints: { ip: string; ready?: boolean }[],
  namespace = 'apps',
): EndpointSliceObject => ({
  metadata: { namespace, labels: { 'kubernetes.io/service-name': serviceName } },
  addressType: 'IPv4',
  ports: [port],
  endpoints: endpoints.map((e) => ({ addresses: [e.ip], conditions: { ready: e.ready ?? true } })),
});

const web = service('web', [{ name: 'http', port: 80 }]);
const api = service('api', [{ name: 'http', port: 80 }]);
const slices = [
  slice('web', { name: 'http', port: 8080 }, [
    { ip: '10.0.0.2' },
    { ip: '10.0.0.3', ready: false },
  ]),
  slice('api', { name: 'http', port: 8080 }, [{ ip: '10.0.0.4' }]),
];
const rules = ingress({
  rules: [
    {
      host: 'ums.localtest.me',
      http: {
        paths: [
          {
            path: '/',
            pathType: 'Prefix',
            backend: { service: { name: 'web', port: { name: 'http' } } },
          },
          {
            path: '/api',
            pathType: 'Prefix',
            backend: { service: { name: 'api', port: { number: 80 } } },
          },
          {
            path: '/health',
            pathType: 'Exact',
            backend: { service: { name: 'api', port: { number: 80 } } },
          },
        ],
      },
    },
  ],
});

test('when an Ingress routes paths to Services, then each route has the ready endpoints with the container port', () => {
  const routes = buildRoutes([rules], [web, api], slices, ours);
  expect(routes.map((r) => [r.path, r.pathType, r.endpoints])).toEqual([
    ['/', 'Prefix', ['10.0.0.2:8080']],
    ['/api', 'Prefix', ['10.0.0.4:8080']],
    ['/health', 'Exact', ['10.0.0.4:8080']],
  ]);
});

test('when paths overlap, then the longest prefix wins, Prefix matches whole elements and Exact only itself', () => {
  const routes = buildRoutes([rules], [web, api], slices, ours);
  const to = (host: string, url: string) => matchRoute(routes, host, url)?.path;
  expect(to('ums.localtest.me:58080', '/api/v1/auth/me?x=1')).toBe('/api');
  expect(to('ums.localtest.me', '/api')).toBe('/api');
  expect(to('ums.localtest.me', '/apix')).toBe('/');
  expect(to('UMS.localtest.me', '/health')).toBe('/health');
  expect(to('ums.localtest.me', '/health/deep')).toBe('/');
  expect(to('other.localtest.me', '/')).toBeUndefined();
});

test('when a host is a wildcard, then it covers one label only, and exact hosts win over it', () => {
  const wildcard = ingress({
    rules: [
      {
        host: '*.example.com',
        http: {
          paths: [
            {
              path: '/',
              pathType: 'Prefix',
              backend: { service: { name: 'api', port: { number: 80 } } },
            },
          ],
        },
      },
      {
        host: 'www.example.com',
        http: {
          paths: [
            {
              path: '/',
              pathType: 'Prefix',
              backend: { service: { name: 'web', port: { name: 'http' } } },
            },
          ],
        },
      },
    ],
  });
  const routes = buildRoutes([wildcard], [web, api], slices, ours);
  expect(matchRoute(routes, 'a.example.com', '/')?.endpoints).toEqual(['10.0.0.4:8080']);
  expect(matchRoute(routes, 'www.example.com', '/')?.endpoints).toEqual(['10.0.0.2:8080']);
  expect(matchRoute(routes, 'a.b.example.com', '/')).toBeUndefined();
  expect(matchRoute(routes, 'example.com', '/')).toBeUndefined();
});

test('when an Ingress names another class, or none while ours is not the default, then it is not served', () => {
  const other = { ...rules, spec: { ...rules.spec, ingressClassName: 'nginx' } };
  expect(buildRoutes([other], [web, api], slices, ours)).toEqual([]);
  expect(buildRoutes([rules], [web, api], slices, { className: 'ums', isDefault: false })).toEqual(
    [],
  );
  const named = { ...rules, spec: { ...rules.spec, ingressClassName: 'ums' } };
  expect(
    buildRoutes([named], [web, api], slices, { className: 'ums', isDefault: false }),
  ).toHaveLength(3);
});

test('when a Service, its port or its endpoints are missing, then the route has no endpoints (answered 503)', () => {
  const elsewhere = [
    slice('web', { name: 'http', port: 8080 }, [{ ip: '10.0.0.9' }], 'other-namespace'),
  ];
  const routes = buildRoutes([rules], [web], elsewhere, ours);
  expect(routes.map((r) => r.endpoints)).toEqual([[], [], []]);
  const wrongPort = ingress({
    defaultBackend: { service: { name: 'web', port: { number: 81 } } },
  });
  expect(buildRoutes([wrongPort], [web], slices, ours)).toEqual([
    { host: '', path: '/', pathType: 'Prefix', ingress: 'apps/dev', endpoints: [] },
  ]);
});
