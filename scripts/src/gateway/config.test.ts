import { GatewayConfigError, parseGatewayConfig, parseUpstreamUrl } from './config.ts';

describe('parseGatewayConfig', () => {
  test('when nothing is set, then it listens on 127.0.0.1:8000 with no upstreams', () => {
    expect(parseGatewayConfig({})).toEqual({ host: '127.0.0.1', port: 8000, upstreams: {} });
  });

  test('when every variable is set, then host, port and normalized origins are used', () => {
    const config = parseGatewayConfig({
      GATEWAY_HOST: '0.0.0.0',
      GATEWAY_PORT: '0',
      AUTH_URL: 'http://127.0.0.1:3001/',
      PROFILE_URL: 'http://localhost:3002',
      WEB_URL: 'https://web.localhost',
      GATEWAY_SOURCE_ADDRESS: '127.0.0.2',
    });
    expect(config).toEqual({
      sourceAddress: '127.0.0.2',
      host: '0.0.0.0',
      port: 0,
      upstreams: {
        auth: 'http://127.0.0.1:3001',
        profile: 'http://localhost:3002',
        web: 'https://web.localhost',
      },
    });
  });

  test('when an upstream variable is empty, then that service is treated as not configured', () => {
    expect(
      parseGatewayConfig({ AUTH_URL: '', PROFILE_URL: 'http://127.0.0.1:3002' }).upstreams,
    ).toEqual({ profile: 'http://127.0.0.1:3002' });
  });

  test.each([
    ['AUTH_URL', 'not a url', /AUTH_URL must be an http\(s\) URL/],
    ['PROFILE_URL', 'ftp://127.0.0.1:21', /PROFILE_URL must use http or https/],
    ['WEB_URL', 'http://127.0.0.1:5173/app', /WEB_URL must be a bare origin/],
    ['AUTH_URL', 'http://user:pw@127.0.0.1:3001', /AUTH_URL must be a bare origin/],
    ['GATEWAY_PORT', 'eighty', /GATEWAY_PORT must be an integer/],
    ['GATEWAY_PORT', '70000', /GATEWAY_PORT must be an integer/],
    ['GATEWAY_PORT', '-1', /GATEWAY_PORT must be an integer/],
    ['GATEWAY_SOURCE_ADDRESS', 'localhost', /GATEWAY_SOURCE_ADDRESS must be an IP address/],
  ])('when %s is %j, then a readable GatewayConfigError names it', (variable, value, message) => {
    const parse = () => parseGatewayConfig({ [variable]: value });
    expect(parse).toThrow(GatewayConfigError);
    expect(parse).toThrow(message);
  });
});

describe('parseUpstreamUrl', () => {
  test('when given an IPv6 origin, then the bracketed origin is returned', () => {
    expect(parseUpstreamUrl('x', 'http://[::1]:3001')).toBe('http://[::1]:3001');
  });
});
