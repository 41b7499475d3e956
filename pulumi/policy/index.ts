// The policy pack as the Pulumi CLI loads it: `pulumi preview --policy-pack pulumi/policy`.
import { PolicyPack } from '@pulumi/policy';
import { policies } from './policies.ts';

new PolicyPack('ums-aws', { policies });
