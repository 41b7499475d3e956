import { describe, expect, test } from '@jest/globals';
import { cidrContains, cidrsOverlap, parseCidr } from './cidr.ts';

describe('parseCidr', () => {
  test('when the text is a network, then it yields its base and prefix', () => {
    expect(parseCidr('10.2.0.0/16')).toEqual({ base: 10 * 2 ** 24 + 2 * 2 ** 16, prefix: 16 });
    expect(parseCidr('0.0.0.0/0')).toEqual({ base: 0, prefix: 0 });
  });

  test.each(['10.2.0.1/16', '10.2.0.0', '256.0.0.0/8', '10.0.0.0/33', 'ten/8'])(
    'when the text is %s, then it is refused',
    (text) => expect(parseCidr(text)).toBeUndefined(),
  );
});

describe('cidrContains and cidrsOverlap', () => {
  test('when a subnet lies inside the VPC, then it is contained and overlaps it', () => {
    expect(cidrContains('10.2.0.0/16', '10.2.100.0/24')).toBe(true);
    expect(cidrsOverlap('10.2.0.0/16', '10.2.100.0/24')).toBe(true);
  });

  test('when two subnets are neighbours, then they neither contain nor overlap each other', () => {
    expect(cidrContains('10.2.10.0/24', '10.2.11.0/24')).toBe(false);
    expect(cidrsOverlap('10.2.10.0/24', '10.2.11.0/24')).toBe(false);
  });

  test('when a block is larger than the VPC or malformed, then it is not contained', () => {
    expect(cidrContains('10.2.0.0/16', '10.0.0.0/8')).toBe(false);
    expect(cidrContains('10.2.0.0/16', 'nonsense')).toBe(false);
  });
});
