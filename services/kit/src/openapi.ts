import { OpenApiGeneratorV31, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { RouteDef } from './route-table.ts';

const problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().describe('Stable machine-readable code; doubles as an i18n key.'),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() }))
      .optional(),
  })
  .describe('RFC 9457 problem details');

// Every 401 names its scheme (RFC 9110 11.6.1); token failures add RFC 6750's error fields.
const challengeHeader = {
  'WWW-Authenticate': {
    description:
      '`Bearer`, or `Bearer error="invalid_token", error_description="..."` when a token was refused',
    schema: { type: 'string' as const },
  },
};

const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

function errorResponses(route: RouteDef): RouteConfig['responses'] {
  const content = { 'application/problem+json': { schema: problem } };
  const responses: RouteConfig['responses'] = {
    400: { description: 'Invalid input', content },
    // Node's HTTP parser answers this itself (no body) when the request line and headers pass
    // 16 KiB, before any route runs: a fuzzer's overlong query string gets it too.
    431: { description: 'The URL or the headers are too large' },
    500: { description: 'Unexpected error', content },
  };
  if (route.body) {
    responses[413] = {
      description: 'The body is larger than the limit (100 kB for JSON)',
      content,
    };
    responses[415] = { description: 'The body is not JSON', content };
  }
  if (route.access.kind !== 'public') {
    responses[401] = {
      description: 'Missing or invalid access token, or its session has ended',
      headers: challengeHeader,
      content,
    };
    responses[503] = {
      description: 'Token keys, session revocations or permissions cannot be checked right now',
      content,
    };
  }
  if (route.access.kind === 'permission') {
    responses[403] = { description: `Needs the ${route.access.permission} permission`, content };
  }
  return responses;
}

/** The OpenAPI 3.1 document, generated from the same route table that serves the requests. */
export function buildOpenApiDocument(
  routes: readonly RouteDef[],
  info: { title: string; version: string; description: string },
) {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  for (const route of routes) {
    const request: RouteConfig['request'] = {};
    if (route.params) request.params = route.params as never;
    if (route.query) request.query = route.query as never;
    if (route.body) {
      // A body schema that accepts `undefined` (refresh, logout) documents an optional body.
      const required = !route.body.safeParse(undefined).success;
      request.body = { content: { 'application/json': { schema: route.body } }, required };
    }
    const responses: RouteConfig['responses'] = errorResponses(route);
    for (const [status, r] of Object.entries(route.responses)) {
      const headers = status === '401' ? { headers: challengeHeader } : {};
      responses[status] = r.schema
        ? {
            description: r.description,
            ...headers,
            content: { 'application/json': { schema: r.schema } },
          }
        : { description: r.description, ...headers };
    }
    registry.registerPath({
      method: route.method,
      path: toOpenApiPath(route.path),
      summary: route.summary,
      tags: route.tags,
      security: route.access.kind === 'public' ? [] : [{ [bearer.name]: [] }],
      'x-required-permission':
        route.access.kind === 'permission' ? route.access.permission : undefined,
      request,
      responses,
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
  });
}
