// Turns the zod definition into the CustomResourceDefinition. zod emits JSON Schema; a CRD
// needs a *structural* OpenAPI v3 schema, so a few things are rewritten on the way.
import { z } from 'zod';
import * as names from './group.ts';
import { instanceSpecSchema } from './instance-schema.ts';
import { instanceStatusSchema } from './status-schema.ts';

/** An OpenAPI v3 schema node as the CRD stores it (JSON names, not client-node's camelCase). */
export interface SchemaNode {
  description?: string;
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  required?: string[];
  default?: unknown;
  enum?: unknown[];
  [key: string]: unknown;
}

// Keys in the order a person reading the YAML wants them.
const keyOrder = [
  'description',
  'type',
  'format',
  'enum',
  'default',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'items',
  'properties',
  'additionalProperties',
  'required',
];

function ordered(node: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(node).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return Object.fromEntries(keys.map((k) => [k, node[k]]));
}

function rank(key: string): number {
  const i = keyOrder.indexOf(key);
  return i === -1 ? keyOrder.length : i;
}

/** Rewrites zod's JSON Schema into a structural schema the API server accepts. */
export function toStructural(input: Record<string, unknown>): SchemaNode {
  const node: Record<string, unknown> = { ...input };
  // Unknown fields are pruned by the API server anyway, and `additionalProperties: false`
  // next to `properties` is not allowed in a structural schema.
  if (node.additionalProperties === false) delete node.additionalProperties;
  // zod bounds plain integers to the JavaScript safe range; that is noise in a CRD.
  if (node.minimum === Number.MIN_SAFE_INTEGER) delete node.minimum;
  if (node.maximum === Number.MAX_SAFE_INTEGER) delete node.maximum;
  if (node.type === 'integer' && node.format === undefined) node.format = 'int32';
  if (isObject(node.properties)) {
    node.properties = Object.fromEntries(
      Object.entries(node.properties).map(([k, v]) => [
        k,
        toStructural(v as Record<string, unknown>),
      ]),
    );
  }
  if (isObject(node.items)) node.items = toStructural(node.items);
  if (isObject(node.additionalProperties)) {
    node.additionalProperties = toStructural(node.additionalProperties);
  }
  if (isObject(node.default)) node.default = withNestedDefaults(node.default, node);
  return ordered(node) as SchemaNode;
}

// The API server checks CEL rules against a default value *before* nested defaults apply, so
// `default: {}` fails a rule such as `self.minReplicas <= self.maxReplicas`. Writing the
// fully defaulted value keeps the schema valid and means the same thing.
function withNestedDefaults(value: Record<string, unknown>, node: Record<string, unknown>) {
  const filled: Record<string, unknown> = { ...value };
  const properties = isObject(node.properties) ? node.properties : {};
  for (const [key, child] of Object.entries(properties)) {
    if (!isObject(child)) continue;
    if (filled[key] === undefined && child.default !== undefined) {
      filled[key] = structuredClone(child.default);
    } else if (isObject(filled[key])) {
      filled[key] = withNestedDefaults(filled[key], child);
    }
  }
  return filled;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', target: 'openapi-3.0' }) as Record<string, unknown>;
}

export function openApiSchema(): SchemaNode {
  return toStructural({
    description: `${names.kind} runs one User Management Platform: auth, profile and web, their databases, and the Ingress in front of them.`,
    type: 'object',
    required: ['spec'],
    'x-kubernetes-validations': [
      {
        rule: "self.metadata.name.size() <= 40 && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
        message:
          'metadata.name must start with a letter, contain only lower-case letters, digits and dashes, and be at most 40 characters, so that the names of its children (such as <name>-postgres-0) stay valid',
      },
    ],
    properties: {
      apiVersion: { type: 'string', description: 'API version of this object.' },
      kind: { type: 'string', description: 'Kind of this object.' },
      metadata: { type: 'object' },
      spec: jsonSchema(instanceSpecSchema),
      status: jsonSchema(instanceStatusSchema),
    },
  });
}

export const printerColumns = [
  {
    name: 'Ready',
    type: 'string',
    jsonPath: '.status.conditions[?(@.type=="Ready")].status',
    description: 'Whether every component and database is ready.',
  },
  {
    name: 'Version',
    type: 'string',
    jsonPath: '.status.version',
    description: 'Version that is rolled out.',
  },
  {
    name: 'Endpoint',
    type: 'string',
    jsonPath: '.status.endpoint',
    description: 'Public URL.',
  },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

export function buildCrd(): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: names.crdName,
      labels: { [names.labels.partOf]: names.partOf },
    },
    spec: {
      group: names.group,
      names: {
        kind: names.kind,
        listKind: names.listKind,
        plural: names.plural,
        singular: names.singular,
        shortNames: names.shortNames,
        categories: ['ums'],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: names.version,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: printerColumns,
          schema: { openAPIV3Schema: openApiSchema() },
        },
      ],
    },
  };
}
