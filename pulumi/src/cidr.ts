// IPv4 CIDR arithmetic: enough to refuse a bad config value and to check subnet layouts.

export interface Cidr {
  /** The network address as an unsigned 32-bit number. */
  readonly base: number;
  readonly prefix: number;
}

const cidrPattern = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; undefined when malformed or when host bits are set (a likely typo). */
export function parseCidr(text: string): Cidr | undefined {
  const match = cidrPattern.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const base = prefix === 0 ? 0 : address - (address % 2 ** (32 - prefix));
  return base === address ? { base, prefix } : undefined;
}

function size(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

/** True when every address of `inner` is in `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  if (!o || !i) return false;
  return i.prefix >= o.prefix && i.base >= o.base && i.base + size(i) <= o.base + size(o);
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (!x || !y) return false;
  return x.base < y.base + size(y) && y.base < x.base + size(x);
}
