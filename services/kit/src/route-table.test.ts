import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { captureLogger } from './test/test-support.ts';
import { createErrorHandler, unauthorized } from './errors.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { requestId } from './request-id.ts';
import { defineRoute, mountRoutes, type AccessControl, type Principal } from './route-table.ts';

const reader: Principal = {
  userId: 'u1',
  role: 'admin',
  permissions: ['users:read'],
  sessionId: 's1',
};

// Callers are told apart by their bearer value; the checks under test are the table's own.
const access: AccessControl = {
  async authenticate(req) {
    if (req.get('authorization') === 'Bearer reader') return reader;
    if (req.get('authorization') === 'Bearer plain')
      return { ...reader, userId: 'u2', permissions: [] };
    throw unauthorized('auth.invalid_token');
  },
  async currentPermissions(p) {
    return p.permissions;
  },
  clientIp: () => '127.0.0.1',
};

const routes = [
  defineRoute({
    method: 'get',
    path: '/things/:id',
    summary: 'Read a thing',
    tags: ['things'],
    access: { kind: 'permission', permission: 'users:read' },
    params: z.object({ id: z.string().uuid() }),
    responses: { 200: { description: 'The thing', schema: z.object({ id: z.string() }) } },
    handler: async ({ params }) => ({ body: { id: params.id } }),
  }),
  defineRoute({
    method: 'post',
    path: '/things',
    summary: 'Create a thing',
    tags: ['things'],
    access: { kind: 'public' },
    body: z.object({ name: z.string().min(1) }).strict(),
    responses: { 201: { description: 'Created' } },
    handler: async ({ body }) => ({ status: 201, body: { name: body.name } }),
  }),
];

function app() {
  const a = express();
  a.use(requestId());
  a.use(express.json());
  mountRoutes(a, routes, access);
  a.use(createErrorHandler({ logger: captureLogger().logger }));
  return a;
}

const id = '2b0c6a4e-3f4d-4a47-9d7b-3f1c1c7f6a10';

describe('route table', () => {
  it('when a permission route is called anonymously, then 401; without the permission, then 403', async () => {
    await request(app()).get(`/things/${id}`).expect(401);
    await request(app()).get(`/things/${id}`).set('authorization', 'Bearer plain').expect(403);
    const ok = await request(app())
      .get(`/things/${id}`)
      .set('authorization', 'Bearer reader')
      .expect(200);
    expect(ok.body).toEqual({ id });
  });

  it('when authorization fails, then input is not validated first (no 400 leaks to anonymous callers)', async () => {
    await request(app()).get('/things/not-a-uuid').expect(401);
    await request(app())
      .get('/things/not-a-uuid')
      .set('authorization', 'Bearer reader')
      .expect(400);
  });

  it('when a body has unknown fields or a method is undeclared, then 400 and 405 with Allow', async () => {
    await request(app()).post('/things').send({ name: 'a', role: 'admin' }).expect(400);
    const res = await request(app()).delete('/things').expect(405);
    expect(res.headers.allow).toBe('POST');
  });

  it('when the OpenAPI document is built, then paths use {param} and permission routes declare security and 403', () => {
    const doc = buildOpenApiDocument(routes, { title: 't', version: '1', description: 'd' });
    const get = doc.paths?.['/things/{id}']?.get;
    expect(get?.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(get?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '401', '403']),
    );
    expect(doc.paths?.['/things']?.post?.security).toEqual([]);
  });
});

describe('route table: a literal segment beats a parameter', () => {
  // Declared parameter-first on purpose: the order of the table must not matter.
  const shadowing = [
    defineRoute({
      method: 'patch',
      path: '/items/:id',
      summary: 'Change an item',
      tags: ['items'],
      access: { kind: 'public' },
      responses: { 200: { description: 'Changed' } },
      handler: async ({ req }) => ({ body: { changed: req.params.id } }),
    }),
    defineRoute({
      method: 'post',
      path: '/items/bulk',
      summary: 'Change many items',
      tags: ['items'],
      access: { kind: 'public' },
      responses: { 200: { description: 'Changed' } },
      handler: async () => ({ body: { bulk: true } }),
    }),
  ];
  const items = () => {
    const a = express();
    a.use(requestId());
    mountRoutes(a, shadowing, access);
    a.use(createErrorHandler({ logger: captureLogger().logger }));
    return a;
  };

  it('when /items/bulk is called with a method only /items/:id has, then 405 naming the methods of /items/bulk', async () => {
    for (const method of ['patch', 'options', 'get'] as const) {
      const res = await request(items())[method]('/items/bulk').expect(405);
      expect(res.headers.allow).toBe('POST');
    }
    expect((await request(items()).post('/ITEMS/bulk/').expect(200)).body).toEqual({ bulk: true });
    expect((await request(items()).patch('/items/7').expect(200)).body).toEqual({ changed: '7' });
    expect((await request(items()).delete('/items/7').expect(405)).headers.allow).toBe('PATCH');
  });
});

describe('declared access narrows the principal', () => {
  it('gives authenticated and permission handlers a Principal, public ones undefined (type-checked)', () => {
    const seen: string[] = [];
    defineRoute({
      method: 'get',
      path: '/me',
      summary: 'Me',
      tags: [],
      access: { kind: 'authenticated' },
      responses: { 200: { description: 'ok' } },
      // No guard: `principal` is a Principal here, so `.userId` type-checks.
      handler: async ({ principal }) => (seen.push(principal.userId), undefined),
    });
    defineRoute({
      method: 'get',
      path: '/open',
      summary: 'Open',
      tags: [],
      access: { kind: 'public' },
      responses: { 200: { description: 'ok' } },
      handler: async ({ principal }) => {
        const none: undefined = principal;
        // @ts-expect-error a public route has no principal to read
        seen.push(principal.userId);
        return { body: none };
      },
    });
    expect(seen).toEqual([]);
  });
});

describe('replies checked against their declared schemas', () => {
  const declared = (body: unknown, status = 200) =>
    defineRoute({
      method: 'get',
      path: '/checked',
      summary: 'Checked',
      tags: [],
      access: { kind: 'public' },
      responses: {
        200: {
          description: 'A thing',
          schema: z.object({ id: z.string(), at: z.string() }),
        },
        204: { description: 'Nothing' },
      },
      handler: async () => ({ status, body }),
    });
  const checked = (route: ReturnType<typeof declared>, checkResponses = true) => {
    const a = express();
    a.use(requestId());
    mountRoutes(a, [route], access, { checkResponses });
    const logs = captureLogger();
    a.use(createErrorHandler({ logger: logs.logger }));
    return { app: a, logs };
  };

  it('when the reply matches (a Date counts as the string JSON makes of it), then it is sent', async () => {
    const at = new Date('2026-12-04T00:00:00Z');
    const res = await request(checked(declared({ id: 'a', at })).app)
      .get('/checked')
      .expect(200);
    expect(res.body).toEqual({ id: 'a', at: at.toISOString() });
  });

  it('when the reply does not match its schema, then 500 and the log names the route', async () => {
    const { app, logs } = checked(declared({ id: 7 }));
    await request(app).get('/checked').expect(500);
    expect(logs.lines().join('\n')).toContain(
      'GET /checked replied 200 with a body that does not match its declared schema',
    );
  });

  it('when the status is not declared, or a bodiless status gets a body, then 500', async () => {
    await request(checked(declared({ id: 'a', at: 'x' }, 201)).app)
      .get('/checked')
      .expect(500);
    await request(checked(declared({ extra: true }, 204)).app)
      .get('/checked')
      .expect(500);
    await request(checked(declared(undefined, 204)).app)
      .get('/checked')
      .expect(204);
  });

  it('when checking is off (production), then the reply goes out as the handler made it', async () => {
    await request(checked(declared({ id: 7 }), false).app)
      .get('/checked')
      .expect(200);
  });
});
