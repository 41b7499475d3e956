import { isDeepStrictEqual } from 'node:util';

export type JsonObject = Record<string, unknown>;

export interface ServiceDocument {
  readonly service: string;
  readonly document: JsonObject;
}

export interface MergeInput {
  /** In precedence order: on a collision the earlier service keeps the original name. */
  readonly documents: readonly ServiceDocument[];
  readonly unavailableServices: readonly string[];
}

export const MERGED_API_TITLE = 'User Management Platform API';

export class OpenApiMergeError extends Error {
  override name = 'OpenApiMergeError';
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const LOCAL_COMPONENT_REF = /^#\/components\/([^/]+)\/([^/]+)(\/.*)?$/;

/** `section/name` -> new name, for components of one document that collide with earlier ones. */
type Renames = ReadonlyMap<string, string>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt(parent: JsonObject, key: string): JsonObject {
  const value = parent[key];
  return isJsonObject(value) ? value : {};
}

function forEachOperation(document: JsonObject, visit: (operation: JsonObject) => void): void {
  for (const container of ['paths', 'webhooks']) {
    for (const pathItem of Object.values(objectAt(document, container))) {
      if (!isJsonObject(pathItem)) continue;
      for (const method of HTTP_METHODS) {
        const operation = pathItem[method];
        if (isJsonObject(operation)) visit(operation);
      }
    }
  }
}

/** A service's document-wide `security` must not leak onto the other services' operations. */
function pushDownGlobalSecurity(document: JsonObject): void {
  const global = document['security'];
  delete document['security'];
  if (!Array.isArray(global)) return;
  forEachOperation(document, (operation) => {
    if (!('security' in operation)) operation['security'] = structuredClone(global);
  });
}

function rewriteRef(ref: string, renames: Renames): string {
  const match = LOCAL_COMPONENT_REF.exec(ref);
  if (!match) return ref;
  const [, section, name, rest] = match;
  const renamed = renames.get(`${section}/${name}`);
  return renamed === undefined ? ref : `#/components/${section}/${renamed}${rest ?? ''}`;
}

function rewriteRefs(node: unknown, renames: Renames): unknown {
  if (Array.isArray(node)) return node.map((item) => rewriteRefs(item, renames));
  if (!isJsonObject(node)) return node;
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      result[key] = rewriteRef(value, renames);
    } else if (key === 'discriminator' && isJsonObject(value) && isJsonObject(value['mapping'])) {
      const mapping = Object.entries(value['mapping']).map(([k, v]) => [
        k,
        typeof v === 'string' ? rewriteRef(v, renames) : v,
      ]);
      result[key] = { ...value, mapping: Object.fromEntries(mapping) };
    } else {
      result[key] = rewriteRefs(value, renames);
    }
  }
  return result;
}

/** Security requirements name schemes by key, not by `$ref`, so renames need their own pass. */
function renameSecurityRequirements(document: JsonObject, renames: Renames): void {
  forEachOperation(document, (operation) => {
    const security = operation['security'];
    if (!Array.isArray(security)) return;
    operation['security'] = security.map((requirement: unknown) =>
      isJsonObject(requirement)
        ? Object.fromEntries(
            Object.entries(requirement).map(([scheme, scopes]) => [
              renames.get(`securitySchemes/${scheme}`) ?? scheme,
              scopes,
            ]),
          )
        : requirement,
    );
  });
}

/**
 * Identical components are shared; differing ones get `<service>.<name>`. Iterates to a fixed
 * point because renaming one schema changes every schema that references it.
 */
function planRenames(
  service: string,
  components: JsonObject,
  merged: Readonly<Record<string, JsonObject>>,
): Renames {
  const renames = new Map<string, string>();
  let changed = true;
  while (changed) {
    changed = false;
    const rewritten = rewriteRefs(components, renames) as JsonObject;
    for (const [section, entries] of Object.entries(rewritten)) {
      const existing = merged[section] ?? {};
      for (const [name, value] of Object.entries(isJsonObject(entries) ? entries : {})) {
        const key = `${section}/${name}`;
        if (renames.has(key) || !(name in existing)) continue;
        if (isDeepStrictEqual(existing[name], value)) continue;
        const renamed = `${service}.${name}`;
        if (renamed in existing) {
          throw new OpenApiMergeError(
            `cannot merge components.${section}.${name} of ${service}: ${renamed} is taken as well`,
          );
        }
        renames.set(key, renamed);
        changed = true;
      }
    }
  }
  return renames;
}

function addComponents(
  merged: Record<string, JsonObject>,
  components: JsonObject,
  renames: Renames,
): void {
  for (const [section, entries] of Object.entries(components)) {
    if (!isJsonObject(entries)) continue;
    const target = (merged[section] ??= {});
    for (const [name, value] of Object.entries(entries)) {
      const finalName = renames.get(`${section}/${name}`) ?? name;
      if (!(finalName in target)) target[finalName] = value;
    }
  }
}

function addPathItems(
  merged: JsonObject,
  pathItems: JsonObject,
  service: string,
  warnings: string[],
): void {
  for (const [path, item] of Object.entries(pathItems)) {
    const existing = merged[path];
    if (!isJsonObject(existing) || !isJsonObject(item)) {
      merged[path] ??= item;
      continue;
    }
    for (const [key, value] of Object.entries(item)) {
      if (!(key in existing)) existing[key] = value;
      else if (!isDeepStrictEqual(existing[key], value)) {
        warnings.push(
          `${service}: ${path} ${key} is already defined by another service; kept the first`,
        );
      }
    }
  }
}

function addTags(merged: JsonObject[], tags: unknown): void {
  if (!Array.isArray(tags)) return;
  for (const tag of tags) {
    if (isJsonObject(tag) && !merged.some((known) => known['name'] === tag['name']))
      merged.push(tag);
  }
}

function versionOf(document: JsonObject): string {
  const version = objectAt(document, 'info')['version'];
  return typeof version === 'string' ? version : 'unknown';
}

function nonEmpty(sections: Record<string, JsonObject>): Record<string, JsonObject> {
  return Object.fromEntries(Object.entries(sections).filter(([, v]) => Object.keys(v).length > 0));
}

/**
 * Merges the services' OpenAPI 3.x documents into one gateway-wide document. Pure: the inputs
 * are cloned, never mutated. Throws OpenApiMergeError only if a collision cannot be resolved.
 */
export function mergeOpenApiDocuments(input: MergeInput): JsonObject {
  const paths: JsonObject = {};
  const webhooks: JsonObject = {};
  const components: Record<string, JsonObject> = {};
  const tags: JsonObject[] = [];
  const warnings: string[] = [];

  for (const { service, document: original } of input.documents) {
    const document = structuredClone(original);
    pushDownGlobalSecurity(document);
    const renames = planRenames(service, objectAt(document, 'components'), components);
    const rewritten = rewriteRefs(document, renames) as JsonObject;
    renameSecurityRequirements(rewritten, renames);
    for (const [key, renamed] of renames) {
      warnings.push(
        `${service}: components.${key.replace('/', '.')} differs from another service's; renamed to ${renamed}`,
      );
    }
    addComponents(components, objectAt(rewritten, 'components'), renames);
    addPathItems(paths, objectAt(rewritten, 'paths'), service, warnings);
    addPathItems(webhooks, objectAt(rewritten, 'webhooks'), service, warnings);
    addTags(tags, rewritten['tags']);
  }

  const versions = input.documents.map(
    ({ service, document }) => `${service} ${versionOf(document)}`,
  );
  return {
    openapi: '3.1.0',
    info: {
      title: MERGED_API_TITLE,
      version: versions.length > 0 ? versions.join(', ') : '0.0.0',
      description: 'Merged by the local API gateway from the OpenAPI documents of each service.',
    },
    // Every service is reached through the gateway, never at its own origin.
    servers: [{ url: '/', description: 'Local API gateway' }],
    tags,
    paths,
    ...(Object.keys(webhooks).length > 0 ? { webhooks } : {}),
    components: nonEmpty(components),
    'x-services': input.documents.map(({ service }) => service),
    'x-unavailable-services': [...input.unavailableServices],
    ...(warnings.length > 0 ? { 'x-merge-warnings': warnings } : {}),
  };
}
