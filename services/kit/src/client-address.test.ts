import type { IncomingMessage } from 'node:http';
import { clientAddressOf, trustedProxyList } from './client-address.ts';

const requestFrom = (remoteAddress: string, forwardedFor?: string | string[]) =>
  ({
    socket: { remoteAddress },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

describe('clientAddressOf', () => {
  it('when no proxy is trusted (the default), then X-Forwarded-For is ignored and the peer is the client', () => {
    const none = clientAddressOf([]);
    expect(none(requestFrom('::ffff:127.0.0.1', '203.0.113.9'))).toBe('127.0.0.1');
    expect(none(requestFrom('10.0.0.5', '1.2.3.4'))).toBe('10.0.0.5');
    expect(none(requestFrom(''))).toBe('unknown');
  });

  it('when the peer is a trusted proxy, then X-Forwarded-For is read right to left up to the first untrusted hop', () => {
    const behind = clientAddressOf(['10.0.0.0/8', '::1']);
    expect(behind(requestFrom('10.0.0.5', '6.6.6.6, 1.2.3.4, 10.1.1.1'))).toBe('1.2.3.4');
    expect(behind(requestFrom('::1', '1.2.3.4'))).toBe('1.2.3.4');
    // A repeated header counts as one list, in order.
    expect(behind(requestFrom('10.0.0.5', ['6.6.6.6', '1.2.3.4']))).toBe('1.2.3.4');
    // Only trusted hops: the leftmost entry is the client.
    expect(behind(requestFrom('10.0.0.5', '10.2.2.2'))).toBe('10.2.2.2');
  });

  it('when the peer is not a trusted proxy, then its X-Forwarded-For is not believed', () => {
    // The local stack trusts only the gateway's own source address, not all of loopback.
    const gatewayOnly = clientAddressOf(['127.0.0.2']);
    expect(gatewayOnly(requestFrom('127.0.0.1', '203.0.113.9'))).toBe('127.0.0.1');
    expect(gatewayOnly(requestFrom('8.8.8.8', '1.2.3.4'))).toBe('8.8.8.8');
    expect(gatewayOnly(requestFrom('127.0.0.2', '203.0.113.9'))).toBe('203.0.113.9');
  });

  it.each(['localhost', '10.0.0.0/33', '10.0.0.0/x', '::1/129', '10.0.0.1/8/8', ''])(
    'when TRUSTED_PROXIES holds %j, then it is refused with the entry named',
    (entry) => {
      expect(() => trustedProxyList([entry])).toThrow(
        `TRUSTED_PROXIES: not an address or CIDR: ${entry}`,
      );
    },
  );
});
