import type { JsonObject } from './openapi-merge.ts';
import { MERGED_API_TITLE, mergeOpenApiDocuments, OpenApiMergeError } from './openapi-merge.ts';

const problemSchema = {
  type: 'object',
  properties: { type: { type: 'string' }, status: { type: 'integer' } },
};

function authDocument(): JsonObject {
  return {
    openapi: '3.1.0',
    info: { title: 'auth', version: '1.2.0' },
    servers: [{ url: 'http://127.0.0.1:3001' }],
    security: [{ session: [] }],
    tags: [{ name: 'auth' }, { name: 'shared' }],
    paths: {
      '/api/v1/auth/sign-in': {
        post: {
          tags: ['auth'],
          security: [],
          responses: { '400': { $ref: '#/components/responses/BadRequest' } },
        },
      },
      '/api/v1/roles': {
        get: { responses: { '200': { $ref: '#/components/responses/RoleList' } } },
      },
    },
    components: {
      schemas: {
        Problem: problemSchema,
        User: { type: 'object', properties: { id: { type: 'string' } } },
        Role: { type: 'object', properties: { name: { type: 'string' } } },
      },
      responses: {
        BadRequest: {
          description: 'bad',
          content: {
            'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
          },
        },
        RoleList: {
          description: 'roles',
          content: {
            'application/json': { schema: { items: { $ref: '#/components/schemas/Role' } } },
          },
        },
      },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'session' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
  };
}

function profileDocument(): JsonObject {
  return {
    openapi: '3.1.0',
    info: { title: 'profile', version: '0.3.0' },
    security: [{ bearer: [] }],
    tags: [{ name: 'profile' }, { name: 'shared', description: 'ignored duplicate' }],
    paths: {
      '/api/v1/users/{id}': {
        get: {
          tags: ['profile'],
          responses: {
            '200': {
              content: { 'application/json': { schema: { $ref: '#/components/schemas/User' } } },
            },
            '404': {
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } },
            },
          },
        },
      },
      '/api/v1/audit-logs': {
        get: {
          responses: {
            '200': {
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/UserList/items' } },
              },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        Problem: problemSchema,
        User: { type: 'object', properties: { displayName: { type: 'string' } } },
        UserList: { type: 'array', items: { $ref: '#/components/schemas/User' } },
        Pet: {
          oneOf: [{ $ref: '#/components/schemas/User' }],
          discriminator: { propertyName: 'kind', mapping: { user: '#/components/schemas/User' } },
        },
      },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      },
    },
  };
}

function merge(...documents: [string, JsonObject][]): JsonObject {
  return mergeOpenApiDocuments({
    documents: documents.map(([service, document]) => ({ service, document })),
    unavailableServices: [],
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests walk arbitrary merged OpenAPI JSON
type Loose = Record<string, any>;

describe('mergeOpenApiDocuments', () => {
  test('when two services are merged, then paths, tags and components of both are present', () => {
    const merged = merge(['auth', authDocument()], ['profile', profileDocument()]) as Loose;
    expect(merged['openapi']).toBe('3.1.0');
    expect(merged['info'].title).toBe(MERGED_API_TITLE);
    expect(merged['info'].version).toBe('auth 1.2.0, profile 0.3.0');
    expect(merged['servers']).toEqual([{ url: '/', description: 'Local API gateway' }]);
    expect(Object.keys(merged['paths'])).toEqual([
      '/api/v1/auth/sign-in',
      '/api/v1/roles',
      '/api/v1/users/{id}',
      '/api/v1/audit-logs',
    ]);
    expect(merged['tags']).toEqual([{ name: 'auth' }, { name: 'shared' }, { name: 'profile' }]);
    expect(Object.keys(merged['components'].schemas)).toEqual(
      expect.arrayContaining(['Problem', 'User', 'Role', 'UserList', 'Pet']),
    );
    expect(merged['x-services']).toEqual(['auth', 'profile']);
    expect(merged['x-unavailable-services']).toEqual([]);
  });

  test('when both services define an identical component, then it is kept once under its name', () => {
    const merged = merge(['auth', authDocument()], ['profile', profileDocument()]) as Loose;
    const schemas = merged['components'].schemas;
    expect(schemas['Problem']).toEqual(problemSchema);
    expect(schemas['profile.Problem']).toBeUndefined();
    expect(
      merged['paths']['/api/v1/users/{id}'].get.responses['404'].content['application/json'].schema,
    ).toEqual({ $ref: '#/components/schemas/Problem' });
  });

  test('when a schema name collides with a different schema, then the second is prefixed and its refs follow', () => {
    const merged = merge(['auth', authDocument()], ['profile', profileDocument()]) as Loose;
    const schemas = merged['components'].schemas;
    expect(schemas['User']).toEqual(
      authDocument()['components'] && { type: 'object', properties: { id: { type: 'string' } } },
    );
    expect(schemas['profile.User']).toEqual({
      type: 'object',
      properties: { displayName: { type: 'string' } },
    });
    expect(schemas['UserList'].items).toEqual({ $ref: '#/components/schemas/profile.User' });
    expect(schemas['Pet'].oneOf).toEqual([{ $ref: '#/components/schemas/profile.User' }]);
    expect(schemas['Pet'].discriminator.mapping).toEqual({
      user: '#/components/schemas/profile.User',
    });
    const userResponse = merged['paths']['/api/v1/users/{id}'].get.responses['200'];
    expect(userResponse.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/profile.User',
    });
    // Nested pointers into a renamed component are rewritten too, not only whole-component refs.
    const auditResponse = merged['paths']['/api/v1/audit-logs'].get.responses['200'];
    expect(auditResponse.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/UserList/items',
    });
    expect(merged['x-merge-warnings']).toEqual(
      expect.arrayContaining([expect.stringContaining('profile: components.schemas.User')]),
    );
  });

  test('when a schema only references a renamed schema, then it is renamed as well instead of wrongly shared', () => {
    const auth = authDocument() as Loose;
    auth['components'].schemas.UserList = {
      type: 'array',
      items: { $ref: '#/components/schemas/User' },
    };
    const merged = merge(['auth', auth], ['profile', profileDocument()]) as Loose;
    const schemas = merged['components'].schemas;
    expect(schemas['UserList'].items).toEqual({ $ref: '#/components/schemas/User' });
    expect(schemas['profile.UserList'].items).toEqual({
      $ref: '#/components/schemas/profile.User',
    });
    const auditResponse = merged['paths']['/api/v1/audit-logs'].get.responses['200'];
    expect(auditResponse.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/profile.UserList/items',
    });
  });

  test('when security schemes collide, then requirements are renamed and global security is pushed down', () => {
    const merged = merge(['auth', authDocument()], ['profile', profileDocument()]) as Loose;
    expect(merged['security']).toBeUndefined();
    expect(Object.keys(merged['components'].securitySchemes)).toEqual([
      'session',
      'bearer',
      'profile.bearer',
    ]);
    expect(merged['paths']['/api/v1/users/{id}'].get.security).toEqual([{ 'profile.bearer': [] }]);
    expect(merged['paths']['/api/v1/roles'].get.security).toEqual([{ session: [] }]);
    // An operation that opted out of the global requirement keeps its own (empty) list.
    expect(merged['paths']['/api/v1/auth/sign-in'].post.security).toEqual([]);
  });

  test('when two services define the same operation, then the first wins and a warning is listed', () => {
    const profile = profileDocument() as Loose;
    profile['paths']['/api/v1/roles'] = {
      get: { summary: 'impostor' },
      delete: { summary: 'extra' },
    };
    const merged = merge(['auth', authDocument()], ['profile', profile]) as Loose;
    expect(merged['paths']['/api/v1/roles'].get.summary).toBeUndefined();
    expect(merged['paths']['/api/v1/roles'].delete.summary).toBe('extra');
    expect(merged['x-merge-warnings']).toEqual(
      expect.arrayContaining([
        'profile: /api/v1/roles get is already defined by another service; kept the first',
      ]),
    );
  });

  test('when services are unavailable, then they are listed and the rest is still merged', () => {
    const merged = mergeOpenApiDocuments({
      documents: [{ service: 'profile', document: profileDocument() }],
      unavailableServices: ['auth'],
    }) as Loose;
    expect(merged['x-unavailable-services']).toEqual(['auth']);
    expect(Object.keys(merged['paths'])).toEqual(['/api/v1/users/{id}', '/api/v1/audit-logs']);
  });

  test('when nothing is available, then an empty but valid document is returned', () => {
    const merged = mergeOpenApiDocuments({
      documents: [],
      unavailableServices: ['auth', 'profile'],
    }) as Loose;
    expect(merged['info'].version).toBe('0.0.0');
    expect(merged['paths']).toEqual({});
    expect(merged['x-merge-warnings']).toBeUndefined();
  });

  test('when merging, then the input documents are not mutated', () => {
    const auth = authDocument();
    const profile = profileDocument();
    merge(['auth', auth], ['profile', profile]);
    expect(auth).toEqual(authDocument());
    expect(profile).toEqual(profileDocument());
  });

  test('when even the prefixed name is taken by a different component, then merging fails loudly', () => {
    const auth = authDocument() as Loose;
    auth['components'].schemas['profile.User'] = { type: 'null' };
    expect(() => merge(['auth', auth], ['profile', profileDocument()])).toThrow(OpenApiMergeError);
  });
});
