// The custom resource as the operator sees it: API-server-defaulted spec, optional status.
import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { InstanceSpec } from './instance-schema.ts';
import type { InstanceStatus } from './status-schema.ts';

export interface UserManagementInstance {
  apiVersion: string;
  kind: string;
  metadata: V1ObjectMeta & { name: string; namespace: string; uid: string };
  spec: InstanceSpec;
  status?: InstanceStatus;
}

/** What the resource builders need to know about the instance they build children for. */
export interface InstanceRef {
  name: string;
  namespace: string;
  uid: string;
  spec: InstanceSpec;
}
