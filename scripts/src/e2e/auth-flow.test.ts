import { mailedToken, startStack, type RunningStack } from './stack.ts';

// What an outside client does after `npm start`: everything through the gateway on one origin.
describe('the local stack, driven through the gateway like an outside client', () => {
  let stack: RunningStack;
  const email = `e2e-${Date.now()}@example.com`;
  const password = 'correct horse battery staple 9';

  beforeAll(async () => {
    stack = await startStack();
    stack.remember(password);
  }, 120_000);

  afterAll(async () => {
    if (stack) await stack.stop();
  });

  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${stack.gateway}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      headers: res.headers,
    };
  };

  it('when a user registers, verifies the mailed link and signs in, then /me and refresh rotation with reuse detection work', async () => {
    expect(
      (await call('POST', '/api/v1/auth/register', { email, password, firstName: 'Eve' })).status,
    ).toBe(201);
    const token = await mailedToken(stack.mailDir, email);
    expect((await call('POST', '/api/v1/auth/email/verify', { token })).status).toBe(200);

    // As an API client that asks for its refresh token in the body (the browser flow never gets it).
    const login = await call('POST', '/api/v1/auth/login', {
      email,
      password,
      refreshTokenDelivery: 'body',
    });
    expect(login.status).toBe(200);
    expect(login.headers.get('set-cookie')).toBeNull();
    stack.remember(login.body.refreshToken as string);
    const accessToken = login.body.accessToken as string;
    const me = await call('GET', '/api/v1/auth/me', undefined, accessToken);
    expect(me.body).toMatchObject({ email, emailVerified: true, role: 'user' });

    const refreshed = await call('POST', '/api/v1/auth/refresh', {
      refreshToken: login.body.refreshToken,
    });
    expect(refreshed.status).toBe(200);
    stack.remember(refreshed.body.refreshToken as string);
    // The first refresh token is spent: presenting it again is reuse, and the family dies.
    expect(
      (await call('POST', '/api/v1/auth/refresh', { refreshToken: login.body.refreshToken }))
        .status,
    ).toBe(401);
    expect(
      (await call('POST', '/api/v1/auth/refresh', { refreshToken: refreshed.body.refreshToken }))
        .status,
    ).toBe(401);
  });

  /** Polls until the call answers `status`; resolves to the answer and how long it took. */
  const eventually = async (status: number, attempt: () => ReturnType<typeof call>) => {
    const since = Date.now();
    for (;;) {
      const res = await attempt();
      if (res.status === status || Date.now() - since > 5_000)
        return { res, ms: Date.now() - since };
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('when the user logs out, then that access token is refused by both services within a second', async () => {
    const login = await call('POST', '/api/v1/auth/login', { email, password });
    const token = login.body.accessToken as string;
    expect((await call('GET', '/api/v1/users/me', undefined, token)).status).toBe(200);
    expect((await call('POST', '/api/v1/auth/logout', undefined, token)).status).toBe(204);
    const profile = await eventually(401, () => call('GET', '/api/v1/users/me', undefined, token));
    expect(profile.res.status).toBe(401);
    expect(profile.ms).toBeLessThan(1_000);
    expect(profile.res.headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token", error_description="This session has ended."',
    );
    expect((await call('GET', '/api/v1/auth/me', undefined, token)).status).toBe(401);
    const anonymous = await call('GET', '/api/v1/users/me');
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('when the seeded admin suspends the user, then the user can no longer sign in and the token they hold stops working at once', async () => {
    const admin = await call('POST', '/api/v1/auth/login', {
      email: 'admin@usermanagement.local',
      password: 'AdminPassword123!',
    });
    expect(admin.status).toBe(200);
    const user = await call('POST', '/api/v1/auth/login', { email, password });
    const id = (user.body.user as { id: string }).id;
    const held = user.body.accessToken as string;
    expect((await call('PATCH', '/api/v1/users/me', { firstName: 'Eve' }, held)).status).toBe(200);
    const suspended = await call(
      'PATCH',
      `/api/v1/accounts/${id}`,
      { status: 'suspended' },
      admin.body.accessToken as string,
    );
    expect(suspended.status).toBe(200);
    expect((await call('POST', '/api/v1/auth/login', { email, password })).status).toBe(401);
    // The finding: a suspended user's PATCH /users/me answered 200 for 15 minutes.
    const patched = await eventually(401, () =>
      call('PATCH', '/api/v1/users/me', { firstName: 'Mallory' }, held),
    );
    expect(patched.res.status).toBe(401);
    expect(patched.ms).toBeLessThan(1_000);
    expect((await call('GET', '/api/v1/auth/me', undefined, held)).status).toBe(401);
  });

  it('when keys and docs are fetched through the gateway, then the JWKS and the merged OpenAPI serve auth', async () => {
    const jwks = await call('GET', '/.well-known/jwks.json');
    expect((jwks.body.keys as unknown[]).length).toBeGreaterThan(0);
    const docs = await call('GET', '/api-docs/openapi.json');
    expect(Object.keys(docs.body.paths as object)).toEqual(
      expect.arrayContaining(['/api/v1/auth/login', '/api/v1/accounts/{id}']),
    );
  });

  it('when a client sends a spoofed X-Forwarded-For, directly to the auth port or through the gateway, then its session records its real address', async () => {
    const spoofed = '203.0.113.9';
    const addressOfSession = async (origin: string) => {
      const login = await fetch(`${origin}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': spoofed },
        body: JSON.stringify({ email: 'john.doe@example.com', password: 'DemoUser123!' }),
      });
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const sessions = await call('GET', '/api/v1/auth/sessions', undefined, accessToken);
      const list = sessions.body as unknown as { current: boolean; ipAddress: string }[];
      return list.find((session) => session.current)?.ipAddress;
    };
    // Directly: the peer is not the gateway, so the header is not believed.
    expect(await addressOfSession(stack.auth)).toBe('127.0.0.1');
    // Through the gateway: the header is the gateway's own (the client's spoof replaced), and the
    // service believes it because the request comes from the gateway's source address.
    expect(await addressOfSession(stack.gateway)).toBe('127.0.0.1');
  });

  it('when Ctrl-C arrives, then everything stops cleanly', async () => {
    const code = await stack.stop();
    stack = undefined as unknown as RunningStack;
    expect(code).toBe(0);
  });
});
