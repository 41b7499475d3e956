// Names that identify the API and the operator. Changing any of these is a breaking change for
// every installed instance, so they live in one place.

export const group = 'platform.ums.dev';
export const version = 'v1alpha1';
export const apiVersion = `${group}/${version}`;
export const kind = 'UserManagementInstance';
export const listKind = 'UserManagementInstanceList';
export const plural = 'usermanagementinstances';
export const singular = 'usermanagementinstance';
export const shortNames = ['umi'];
export const crdName = `${plural}.${group}`;

/** The one field manager every server-side apply of the operator uses. */
export const fieldManager = 'ums-operator';

/** Present only while something outside owner-reference garbage collection must be cleaned up. */
export const cleanupFinalizer = `${group}/cleanup`;

/** Where the operator runs and where its leader-election Lease lives by default. */
export const operatorNamespace = 'ums-system';
export const operatorName = 'ums-operator';
export const leaseName = 'ums-operator-leader';

/** Labels the operator sets on every child; the informers watch only objects carrying `managedBy`. */
export const labels = {
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  component: 'app.kubernetes.io/component',
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
  version: 'app.kubernetes.io/version',
} as const;

export const appName = 'user-management';
export const partOf = 'user-management-platform';
export const managedBySelector = `${labels.managedBy}=${operatorName}`;

/** Annotations the operator reads or writes on children. */
export const annotations = {
  configHash: `${group}/config-hash`,
  targetVersion: `${group}/version`,
} as const;
