import { describe, expect, test } from '@jest/globals';
import { network } from '../sizing.ts';
import { checkLayout } from './network.ts';
import type { NetworkArgs } from './network.ts';

const seed: NetworkArgs = {
  vpcCidr: network.vpcCidr,
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  publicSubnetCidrs: network.publicSubnetCidrs,
  privateSubnetCidrs: network.privateSubnetCidrs,
  databaseSubnetCidrs: network.databaseSubnetCidrs,
  natGateways: 'single',
  flowLogRetentionDays: 7,
};

describe('checkLayout', () => {
  test("when the layout is the seed's, then it is accepted", () => {
    expect(() => checkLayout(seed)).not.toThrow();
  });

  test.each<[string, Partial<NetworkArgs>, RegExp]>([
    [
      'a subnet outside the VPC',
      { databaseSubnetCidrs: ['10.2.100.0/24', '10.2.101.0/24', '10.3.0.0/24'] },
      /not inside/,
    ],
    [
      'two overlapping subnets',
      { privateSubnetCidrs: ['10.2.10.0/24', '10.2.10.128/25', '10.2.12.0/24'] },
      /overlap/,
    ],
    [
      'a tier short of one AZ',
      { publicSubnetCidrs: ['10.2.0.0/24', '10.2.1.0/24'] },
      /one CIDR per availability zone/,
    ],
    ['a VPC CIDR with host bits', { vpcCidr: '10.2.0.1/16' }, /not a network/],
  ])('when the layout has %s, then it is refused', (_what, change, message) => {
    expect(() => checkLayout({ ...seed, ...change })).toThrow(message);
  });
});
