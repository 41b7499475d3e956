// What the local stack can run, and which of it exists in this checkout today.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Component {
  name: 'auth' | 'profile' | 'web';
  dir: string;
  port: number;
  /** The gateway's variable pointing at this component. */
  gatewayEnv: 'AUTH_URL' | 'PROFILE_URL' | 'WEB_URL';
  /** Settings for running it locally behind the gateway (plain http on loopback). */
  env: Readonly<Record<string, string>>;
}

// Ports can be moved (AUTH_PORT, PROFILE_PORT, WEB_PORT, GATEWAY_PORT), e.g. for a second stack in tests.
const gateway = `http://localhost:${process.env.GATEWAY_PORT ?? 8000}`;
const web = `http://localhost:${process.env.WEB_PORT ?? 3000}`;

/**
 * Where the gateway's requests to the services leave from, and the only address whose
 * X-Forwarded-For the services believe. Not 127.0.0.1, which every local client has: a client
 * calling a service port directly could otherwise choose its address with the header. Linux
 * answers on all of 127.0.0.0/8; elsewhere set GATEWAY_SOURCE_ADDRESS (127.0.0.1 trusts loopback).
 */
export const gatewaySourceAddress = process.env.GATEWAY_SOURCE_ADDRESS || '127.0.0.2';

export const components: readonly Component[] = [
  {
    name: 'auth',
    dir: 'services/auth',
    port: Number(process.env.AUTH_PORT ?? 8001),
    gatewayEnv: 'AUTH_URL',
    env: {
      ISSUER: gateway,
      PUBLIC_BASE_URL: web,
      CORS_ORIGINS: web,
      // The gateway is the only proxy whose X-Forwarded-For is believed.
      TRUSTED_PROXIES: gatewaySourceAddress,
      // Plain http locally: no Secure cookie, so no __Host- prefix either.
      COOKIE_SECURE: 'false',
    },
  },
  {
    name: 'profile',
    dir: 'services/profile',
    port: Number(process.env.PROFILE_PORT ?? 8002),
    gatewayEnv: 'PROFILE_URL',
    env: {
      // Straight to the auth service, as in the cluster (no gateway hop for key fetches).
      AUTH_JWKS_URL: `http://127.0.0.1:${process.env.AUTH_PORT ?? 8001}/.well-known/jwks.json`,
      ISSUER: gateway,
      CORS_ORIGINS: web,
      TRUSTED_PROXIES: gatewaySourceAddress,
      AVATAR_LOCAL_DIR: new URL('../../../.local/avatars', import.meta.url).pathname,
    },
  },
  {
    name: 'web',
    dir: 'web',
    port: Number(process.env.WEB_PORT ?? 3000),
    gatewayEnv: 'WEB_URL',
    // The dev server proxies /api and /.well-known to the gateway, keeping the browser's Origin.
    env: { GATEWAY_PORT: String(process.env.GATEWAY_PORT ?? 8000) },
  },
];

/** A component exists once its workspace has a package.json with a `start` script. */
export function existingComponents(
  root: string,
  all: readonly Component[] = components,
): Component[] {
  return all.filter((c) => {
    const file = join(root, c.dir, 'package.json');
    if (!existsSync(file)) return false;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { scripts?: Record<string, string> };
    return typeof pkg.scripts?.start === 'string';
  });
}
