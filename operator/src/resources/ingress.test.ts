import { serviceNames, servicePathPrefixes } from '@ums/contracts/paths';
import { instanceRef } from '../test-support/instance.ts';
import { buildIngress, publicEndpoint } from './ingress.ts';

const ref = instanceRef({
  ingress: {
    enabled: true,
    host: 'users.example.com',
    className: 'nginx',
    tls: { secretName: 'users-tls' },
    annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
  },
});

test('when the ingress is enabled, then every contract prefix goes to its service and the rest to web', () => {
  const paths = buildIngress(ref)?.spec?.rules?.[0]?.http?.paths ?? [];
  const routing = Object.fromEntries(
    paths.map((p) => [
      p.path,
      `${p.pathType} ${p.backend.service?.name}:${p.backend.service?.port?.name}`,
    ]),
  );
  const expected = serviceNames.flatMap((service) =>
    servicePathPrefixes[service].map((prefix) => [prefix, `Prefix demo-${service}:http`]),
  );
  expect(routing).toEqual({ ...Object.fromEntries(expected), '/': 'Prefix demo-web:http' });
});

test('when TLS is configured, then the Ingress terminates it for the host and the endpoint is https', () => {
  const ingress = buildIngress(ref);
  expect(ingress?.spec?.tls).toEqual([{ hosts: ['users.example.com'], secretName: 'users-tls' }]);
  expect(ingress?.spec?.ingressClassName).toBe('nginx');
  expect(ingress?.metadata?.annotations).toEqual({
    'cert-manager.io/cluster-issuer': 'letsencrypt',
  });
  expect(publicEndpoint(ref)).toBe('https://users.example.com');
});

test('when the ingress is disabled, then there is none and the endpoint is the in-cluster web Service', () => {
  expect(buildIngress(instanceRef())).toBeUndefined();
  expect(publicEndpoint(instanceRef())).toBe('http://demo-web.team-a.svc');
});
