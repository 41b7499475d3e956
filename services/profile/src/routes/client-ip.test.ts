import type { Request } from 'express';
import { clientIpOf, trustedProxyList } from './access-control.ts';

const requestFrom = (remoteAddress: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress },
    get: (name: string) => (name.toLowerCase() === 'x-forwarded-for' ? forwardedFor : undefined),
  }) as unknown as Request;

describe('client address', () => {
  it('when no proxy is trusted, then X-Forwarded-For is ignored and the peer is the client', () => {
    const none = trustedProxyList([]);
    expect(clientIpOf(requestFrom('::ffff:10.0.0.5', '1.2.3.4'), none, true)).toBe('10.0.0.5');
    expect(clientIpOf(requestFrom('10.0.0.5', '1.2.3.4'), none)).toBe('10.0.0.5');
    expect(clientIpOf(requestFrom(''), none, true)).toBe('unknown');
  });

  it('when the peer is a trusted proxy, then X-Forwarded-For is read right to left up to the first untrusted hop', () => {
    const trusted = trustedProxyList(['10.0.0.0/8', '::1']);
    expect(clientIpOf(requestFrom('10.0.0.5', '6.6.6.6, 1.2.3.4, 10.1.1.1'), trusted)).toBe(
      '1.2.3.4',
    );
    expect(clientIpOf(requestFrom('::1', '1.2.3.4'), trusted)).toBe('1.2.3.4');
    // An untrusted peer's header is not believed.
    expect(clientIpOf(requestFrom('8.8.8.8', '1.2.3.4'), trusted)).toBe('8.8.8.8');
  });
});
