// Building blocks for the CRD schema. Every field goes through `field()` so it carries the
// description `kubectl explain` shows, and every rule carries a message a person can act on.
// Rules are CEL (`x-kubernetes-validations`) rather than `pattern`, because a failed pattern
// reports the regular expression, not what was meant.
import { z } from 'zod';

export interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
  reason?:
    'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
}

export interface FieldMeta {
  rules?: CelRule[];
  /** Extra OpenAPI keys, such as `x-kubernetes-list-type`. */
  extra?: Record<string, unknown>;
}

/** Attaches the description (and CEL rules) that the generated CRD and reference doc show. */
export function field<T extends z.ZodType>(
  schema: T,
  description: string,
  meta: FieldMeta = {},
): T {
  return schema.meta({
    description,
    ...(meta.rules ? { 'x-kubernetes-validations': meta.rules } : {}),
    ...meta.extra,
  });
}

// CEL's cost estimator needs upper bounds on strings it runs regular expressions over.
const SHORT = 63;
const LONG = 253;

const DNS_NAME = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const DURATION = '^([0-9]+(h|m|s))+$';

/** A Kubernetes quantity such as `500m` or `1Gi`. */
export function quantity(description: string, example: string, extraRules: CelRule[] = []) {
  return field(z.string().max(SHORT), description, {
    rules: [
      { rule: 'isQuantity(self)', message: `must be a Kubernetes quantity such as ${example}` },
      ...extraRules,
    ],
  });
}

/** A lower-case DNS name (RFC 1123 subdomain) such as `users.example.com`. */
export function hostName(description: string) {
  return field(z.string().min(1).max(LONG), description, {
    rules: [
      {
        rule: `self.matches('${DNS_NAME}')`,
        message:
          'must be a lower-case DNS host name such as users.example.com (no scheme, port or path)',
      },
    ],
  });
}

/** The name of an object in the same namespace (RFC 1123 label or subdomain). */
export function objectName(description: string) {
  return field(z.string().min(1).max(LONG), description, {
    rules: [
      {
        rule: `self.matches('${DNS_NAME}')`,
        message: 'must be a lower-case Kubernetes object name such as my-secret',
      },
    ],
  });
}

/** A short lower-case identifier (RFC 1123 label). */
export function label(description: string) {
  return field(z.string().min(1).max(SHORT), description, {
    rules: [
      {
        rule: `self.matches('${DNS_LABEL}')`,
        message: 'must be lower-case letters, digits and dashes, such as google',
      },
    ],
  });
}

/** A Go duration (`15m`, `720h`) between `min` and `max`. */
export function duration(description: string, min: string, max: string, example: string) {
  return field(z.string().max(SHORT), description, {
    rules: [
      {
        rule: `self.matches('${DURATION}') && duration(self) >= duration('${min}') && duration(self) <= duration('${max}')`,
        message: `must be a duration between ${min} and ${max} written like ${example}`,
      },
    ],
  });
}

/** A port number. */
export function port(description: string, defaultPort: number) {
  return field(z.int().min(1).max(65535).default(defaultPort), description);
}

/** A reference to one key of a Secret in the instance's namespace. */
export function secretKeyRef(description: string, defaultKey: string) {
  return field(
    z.object({
      name: objectName('Name of the Secret, in the same namespace as the instance.'),
      key: field(
        z.string().min(1).max(LONG).default(defaultKey),
        'Key inside the Secret that holds the value.',
      ),
    }),
    description,
  );
}
