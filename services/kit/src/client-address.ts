import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/**
 * Who sent a request, as rate limits, sessions and the audit trail record it. A request's
 * `X-Forwarded-For` names its client only when the peer that sent it is a proxy we run (the
 * gateway, the Ingress): the `TRUSTED_PROXIES` setting, addresses or CIDRs, none by default.
 */
export type ClientAddress = (req: IncomingMessage) => string;

const family = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** Throws with the offending entry when one is not an address or CIDR. */
export function trustedProxyList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.split('/');
    const bits = Number(prefix);
    const maxBits = isIP(address) === 6 ? 128 : 32;
    const valid =
      isIP(address) !== 0 &&
      extra === undefined &&
      (prefix === undefined || (/^\d{1,3}$/.test(prefix) && bits <= maxBits));
    if (!valid) throw new Error(`TRUSTED_PROXIES: not an address or CIDR: ${entry}`);
    if (prefix === undefined) list.addAddress(address, family(address));
    else list.addSubnet(address, bits, family(address));
  }
  return list;
}

const plainAddress = (address: string | undefined) =>
  !address ? 'unknown' : address.startsWith('::ffff:') ? address.slice(7) : address;

/**
 * The client address resolver for `trustedProxies`. X-Forwarded-For is read right to left and
 * only while each hop is a trusted proxy, so a client cannot choose its own address by sending
 * the header: a spoofed entry sits left of the hop our proxy appended and is never reached. With
 * no trusted proxies the header is never read and the peer is the client.
 */
export function clientAddressOf(trustedProxies: readonly string[]): ClientAddress {
  const trusted = trustedProxyList(trustedProxies);
  const isTrusted = (a: string) => isIP(a) !== 0 && trusted.check(a, family(a));
  return (req) => {
    let address = plainAddress(req.socket.remoteAddress);
    if (trustedProxies.length === 0) return address;
    const header = req.headers['x-forwarded-for'];
    const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((hop) => plainAddress(hop.trim()))
      .filter((hop) => hop !== 'unknown');
    while (isTrusted(address) && forwarded.length > 0) address = forwarded.pop() as string;
    return address;
  };
}
