// Who answers which path: the Ingress (operator/src/resources/ingress.ts) and the local gateway
// (scripts/src/gateway) route by these prefixes, so a client sees one origin either way.

export const serviceNames = ['auth', 'profile'] as const;

export type ServiceName = (typeof serviceNames)[number];

/**
 * The path prefixes each service owns, matched on whole segments (an Ingress `Prefix`):
 * `/api/v1/auth` takes `/api/v1/auth/login` but never `/api/v1/authx`. Every other path is the
 * web app's.
 */
export const servicePathPrefixes = {
  auth: ['/api/v1/auth', '/api/v1/accounts', '/api/v1/roles', '/.well-known'],
  profile: ['/api/v1/users', '/api/v1/audit-logs'],
} as const satisfies Record<ServiceName, readonly string[]>;

/**
 * The namespaces the local gateway owns whole, its own `/api-docs` included. The web app's dev
 * server proxies exactly these to the gateway, and the gateway answers an unknown path in them
 * itself: handed on, it would bounce between the two.
 */
export const gatewayNamespaces = ['/api', '/api-docs', '/.well-known'] as const;
