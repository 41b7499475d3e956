// What the providers would report after creating a resource, as far as the program reads it:
// ARNs, endpoints and URLs shaped like AWS's, so that outputs and the policies that follow
// references see realistic values. Everything not listed echoes the inputs, as providers do.
const fakeAccount = '123456789012';

type State = Record<string, unknown>;
type Inputs = Record<string, unknown>;

const service = (type: string) => type.split(':')[1]?.split('/')[0] ?? 'unknown';
const kind = (type: string) => (type.split(':').pop() ?? type).toLowerCase();

const extras: Record<string, (name: string, inputs: Inputs, region: string) => State> = {
  'aws:eks/cluster:Cluster': (name, inputs, region) => ({
    endpoint: `https://EXAMPLE0123456789ABCDEF.gr7.${region}.eks.amazonaws.com`,
    certificateAuthority: { data: 'LS0tLS1CRUdJTi1mYWtlLWNh' },
    identities: [
      {
        oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/EXAMPLED539D4633E53DE1B7` }],
      },
    ],
    vpcConfig: { ...(inputs.vpcConfig as State), clusterSecurityGroupId: `sg-${name}-cluster` },
  }),
  'aws:iam/openIdConnectProvider:OpenIdConnectProvider': (_name, inputs) => ({
    arn: `arn:aws:iam::${fakeAccount}:oidc-provider/${String(inputs.url).replace('https://', '')}`,
  }),
  'aws:iam/role:Role': (name) => ({ arn: `arn:aws:iam::${fakeAccount}:role/${name}` }),
  'aws:rds/instance:Instance': (_name, inputs, region) => ({
    address: `${String(inputs.identifier)}.abcdefghijkl.${region}.rds.amazonaws.com`,
  }),
  'aws:docdb/cluster:Cluster': (_name, inputs, region) => ({
    endpoint: `${String(inputs.clusterIdentifier)}.cluster-abcdefghijkl.${region}.docdb.amazonaws.com`,
  }),
  'aws:elasticache/replicationGroup:ReplicationGroup': (_name, inputs, region) => ({
    primaryEndpointAddress: `master.${String(inputs.replicationGroupId)}.abcdef.${region}.cache.amazonaws.com`,
  }),
  'aws:ecr/repository:Repository': (_name, inputs, region) => ({
    repositoryUrl: `${fakeAccount}.dkr.ecr.${region}.amazonaws.com/${String(inputs.name)}`,
  }),
  'aws:s3/bucket:Bucket': (name) => ({
    bucket: `${name}-0a1b2c3`,
    arn: `arn:aws:s3:::${name}-0a1b2c3`,
  }),
  'aws:ec2/eip:Eip': (name) => ({ allocationId: `eipalloc-${name}` }),
  'aws:kms/key:Key': (name) => ({ keyId: `key-${name}` }),
};

/** The id the fake provider assigns, `<type>-<name>` like AWS's `subnet-0abc…`: unique per resource. */
export const fakeId = (type: string, name: string) => `${kind(type)}-${name}`;

/** A stable stand-in for the random suffix of auto-names, distinct per resource type. */
function suffix(type: string): string {
  let hash = 0;
  for (const c of type) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return hash.toString(16).padStart(8, '0').slice(0, 7);
}

export function fakeState(type: string, name: string, inputs: Inputs, region: string): State {
  return {
    // Providers auto-name what the program leaves unnamed: `<logical name>-<random>`.
    name: `${name}-${suffix(type)}`,
    ...inputs,
    region,
    arn: `arn:aws:${service(type)}:${region}:${fakeAccount}:${kind(type)}/${name}`,
    ...extras[type]?.(name, inputs, region),
  };
}
