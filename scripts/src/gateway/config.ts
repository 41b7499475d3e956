import { isIP } from 'node:net';

export interface GatewayUpstreams {
  readonly auth?: string;
  readonly profile?: string;
  readonly web?: string;
}

export interface GatewayConfig {
  readonly host: string;
  readonly port: number;
  readonly upstreams: GatewayUpstreams;
  /** Local address proxied requests leave from, so services can trust this hop alone. */
  readonly sourceAddress?: string;
}

export class GatewayConfigError extends Error {
  override name = 'GatewayConfigError';
}

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_PORT = 8000;

/** Which environment variable configures which upstream (also quoted in 503 problems). */
export const UPSTREAM_ENV = [
  ['auth', 'AUTH_URL'],
  ['profile', 'PROFILE_URL'],
  ['web', 'WEB_URL'],
] as const;

/**
 * Upstreams are origins only (`http://127.0.0.1:3001`): services serve their full paths, so a
 * base path would silently double up prefixes. Returns the normalized origin.
 */
export function parseUpstreamUrl(label: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new GatewayConfigError(
      `${label} must be an http(s) URL like http://127.0.0.1:3001, got ${JSON.stringify(value)}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GatewayConfigError(
      `${label} must use http or https, got ${JSON.stringify(url.protocol)} in ${JSON.stringify(value)}`,
    );
  }
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/') {
    throw new GatewayConfigError(
      `${label} must be a bare origin (no path, query, fragment or credentials), got ${JSON.stringify(value)}`,
    );
  }
  return url.origin;
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new GatewayConfigError(
      `GATEWAY_PORT must be an integer 0-65535, got ${JSON.stringify(value)}`,
    );
  }
  return port;
}

function parseSourceAddress(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (isIP(value) === 0) {
    throw new GatewayConfigError(
      `GATEWAY_SOURCE_ADDRESS must be an IP address of this machine, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * Reads GATEWAY_HOST, GATEWAY_PORT, GATEWAY_SOURCE_ADDRESS, AUTH_URL, PROFILE_URL, WEB_URL; empty
 * means unset.
 */
export function parseGatewayConfig(
  env: Readonly<Record<string, string | undefined>>,
): GatewayConfig {
  const upstreams: Record<string, string> = {};
  for (const [service, variable] of UPSTREAM_ENV) {
    const value = env[variable];
    if (value !== undefined && value !== '') upstreams[service] = parseUpstreamUrl(variable, value);
  }
  const sourceAddress = parseSourceAddress(env['GATEWAY_SOURCE_ADDRESS']);
  return {
    ...(sourceAddress === undefined ? {} : { sourceAddress }),
    host: env['GATEWAY_HOST'] || DEFAULT_HOST,
    port: parsePort(env['GATEWAY_PORT']),
    upstreams,
  };
}
