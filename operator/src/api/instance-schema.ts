// The UserManagementInstance spec: the single source of truth for the CRD's OpenAPI schema,
// the operator's TypeScript types and docs/crd-reference.md.
import { serviceNames, servicePathPrefixes } from '@ums/contracts/paths';
import { z } from 'zod';
import { componentSchema } from './component-schema.ts';
import { databasesSchema } from './database-schema.ts';
import { componentDefaults, defaultImageRegistry } from './defaults.ts';
import { duration, field, hostName, label, objectName, secretKeyRef } from './schema-primitives.ts';

const SEMVER = '^[0-9]+[.][0-9]+[.][0-9]+(-[0-9A-Za-z.-]+)?$';

const listed = (items: readonly string[]) =>
  items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}` : items.join('');
const owners = serviceNames.map((s) => `${s} owns ${listed(servicePathPrefixes[s])}`).join('; ');

const ingressSchema = field(
  z
    .object({
      enabled: field(z.boolean().default(false), 'Publish the instance through an Ingress.'),
      host: hostName('Public host name, such as users.example.com.').optional(),
      className: field(
        z.string().min(1).max(253).optional(),
        'IngressClass to use; the cluster default when unset.',
      ),
      tls: field(
        z
          .object({
            secretName: objectName(
              'Secret of type kubernetes.io/tls holding the certificate (for example issued by cert-manager).',
            ),
          })
          .optional(),
        'Serve HTTPS with this certificate. The public endpoint is http:// without it.',
      ),
      annotations: field(
        z.record(z.string(), z.string().max(4096)).optional(),
        'Annotations for the Ingress, such as cert-manager.io/cluster-issuer.',
      ),
    })
    .prefault({}),
  `Public entry point. Paths are routed by prefix: ${owners}; everything else goes to web.`,
  {
    rules: [
      {
        rule: '!self.enabled || has(self.host)',
        message: 'host is required when ingress is enabled',
        fieldPath: '.host',
        reason: 'FieldValueRequired',
      },
    ],
  },
);

const securitySchema = field(
  z
    .object({
      accessTokenTTL: duration('Lifetime of access tokens (JWT).', '1m', '1h', '15m').default(
        '15m',
      ),
      refreshTokenTTL: duration(
        'Absolute lifetime of a refresh-token session.',
        '1h',
        '2160h',
        '720h',
      ).default('720h'),
      sessionIdleTimeout: duration('A session unused this long ends.', '5m', '720h', '24h').default(
        '24h',
      ),
      lockout: field(
        z
          .object({
            maxAttempts: field(
              z.int().min(3).max(20).default(5),
              'Consecutive failed sign-ins before the account locks.',
            ),
            duration: duration('How long an account stays locked.', '1m', '24h', '15m').default(
              '15m',
            ),
          })
          .prefault({}),
        'Account lockout after repeated failed sign-ins.',
      ),
      password: field(
        z
          .object({
            minLength: field(
              z.int().min(12).max(64).default(12),
              'Shortest accepted password (ASVS V2.1.1 asks for at least 12).',
            ),
          })
          .prefault({}),
        'Password policy. There are no composition rules, on purpose (NIST SP 800-63B); common and breached passwords are always refused.',
      ),
      mfa: field(
        z
          .object({
            requiredForAdmins: field(
              z.boolean().default(false),
              'Administrators must enrol TOTP before they can use admin routes.',
            ),
          })
          .prefault({}),
        'Multi-factor authentication.',
      ),
      demoUsers: field(
        z.boolean().default(false),
        'Seed the demo users from the README (the migration Job does it after auth migrates; existing users are left alone). Never enable in production.',
      ),
    })
    .prefault({}),
  'Token lifetimes, lockout and password policy, MFA.',
  {
    rules: [
      {
        rule: 'duration(self.refreshTokenTTL) > duration(self.accessTokenTTL)',
        message: 'refreshTokenTTL must be longer than accessTokenTTL',
        fieldPath: '.refreshTokenTTL',
      },
    ],
  },
);

const oidcProviderSchema = z.object({
  name: label('Identifier of the provider, used in URLs (`/api/v1/auth/oidc/<name>/...`).'),
  issuerURL: field(z.string().min(1).max(2048), 'Issuer URL; must be https.', {
    rules: [
      {
        rule: "isURL(self) && url(self).getScheme() == 'https'",
        message: 'must be an https URL such as https://accounts.google.com',
      },
    ],
  }),
  clientID: field(z.string().min(1).max(512), 'OAuth client id registered with the provider.'),
  clientSecret: secretKeyRef('Secret key holding the OAuth client secret.', 'clientSecret'),
  scopes: field(
    z.array(z.string().min(1).max(128)).max(20).default(['openid', 'email', 'profile']),
    'Scopes requested at sign-in.',
  ),
});

const oidcSchema = field(
  z.array(oidcProviderSchema).max(10).optional(),
  'External OpenID Connect providers users can sign in with.',
  { extra: { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] } },
);

const monitoringSchema = field(
  z
    .object({
      serviceMonitor: field(
        z.boolean().default(false),
        'Create a Prometheus Operator ServiceMonitor for auth and for profile (`/metrics` on their http port; web serves no metrics), labelling every series with `ums_instance`.',
      ),
      prometheusRule: field(
        z.boolean().default(false),
        "Create a Prometheus Operator PrometheusRule with the platform's alert rules, limited to this instance's series.",
      ),
      grafanaDashboards: field(
        z.boolean().default(false),
        'Create one ConfigMap per Grafana dashboard, labelled `grafana_dashboard: "1"` for Grafana\'s dashboard sidecar. Needs no CRD.',
      ),
      labels: field(
        z.record(z.string(), z.string().max(63)).optional(),
        'Extra labels on the ServiceMonitors and the PrometheusRule, for a Prometheus that selects them by label (kube-prometheus-stack selects `release: <its release name>`).',
      ),
    })
    .prefault({}),
  "Monitoring objects. ServiceMonitors and the PrometheusRule need the Prometheus Operator's CRDs (monitoring.coreos.com): without them the MonitoringReady condition says so and everything else still rolls out; they are created once the CRDs are installed. Turning a toggle off deletes what it created.",
);

const networkPolicySchema = field(
  z
    .object({
      enabled: field(
        z.boolean().default(true),
        'Create NetworkPolicies that let only the right pods reach each database and component.',
      ),
      ingressNamespaceSelector: field(
        z.record(z.string(), z.string().max(63)).optional(),
        'Labels of the namespaces allowed to reach the web, auth and profile pods (the ingress controller and Prometheus). All namespaces when unset.',
      ),
    })
    .prefault({}),
  'Network isolation.',
);

export const instanceSpecSchema = field(
  z.object({
    version: field(
      z.string().min(1).max(64),
      'Platform version to run, such as 1.4.0. Changing it runs the schema migration Job first, then rolls the Deployments.',
      {
        rules: [
          {
            rule: `self.matches('${SEMVER}')`,
            message: 'must be a semantic version such as 1.4.0',
          },
          {
            // Schema migrations only move forward; going back means restoring a backup.
            rule: `!self.matches('${SEMVER}') || !oldSelf.matches('${SEMVER}') || semver(self, true).compareTo(semver(oldSelf, true)) >= 0`,
            message: 'cannot go back to an older version: schema migrations only move forward',
            messageExpression: `'cannot go back from ' + oldSelf + ' to ' + self + ': schema migrations only move forward (restore a backup to roll back)'`,
          },
        ],
      },
    ),
    imageRegistry: field(
      z.string().min(1).max(255).default(defaultImageRegistry),
      'Registry and path prefix of the platform images; images are `<imageRegistry>/<component>:<version>`.',
    ),
    imagePullPolicy: field(
      z.enum(['Always', 'IfNotPresent', 'Never']).default('IfNotPresent'),
      'Pull policy of the platform containers.',
    ),
    imagePullSecrets: field(
      z
        .array(z.object({ name: objectName('Name of a docker-registry Secret.') }))
        .max(10)
        .optional(),
      'Secrets used to pull the images.',
    ),
    components: field(
      z
        .object({
          auth: componentSchema('auth', componentDefaults.auth),
          profile: componentSchema('profile', componentDefaults.profile),
          web: componentSchema('web', componentDefaults.web),
        })
        .prefault({}),
      'The three application components.',
    ),
    databases: databasesSchema,
    ingress: ingressSchema,
    security: securitySchema,
    oidcProviders: oidcSchema,
    monitoring: monitoringSchema,
    networkPolicy: networkPolicySchema,
  }),
  'Desired state of a User Management Platform instance.',
);

export type InstanceSpec = z.output<typeof instanceSpecSchema>;
export type ComponentName = keyof InstanceSpec['components'];
export const componentNames: readonly ComponentName[] = ['auth', 'profile', 'web'];
