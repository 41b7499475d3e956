import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { mailedToken, startStack, type RunningStack } from './stack.ts';

const execFileAsync = promisify(execFile);

// A 1x1 PNG: the avatar pipeline re-encodes whatever real image it gets.
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// The profile side of the platform through the gateway, with the real auth service issuing the
// tokens and feeding the event stream: register → sign in → edit profile → upload avatar → admin
// finds, exports and audits the user.
describe('profiles through the gateway, fed by the real auth service', () => {
  let stack: RunningStack;
  const tag = `prof${Date.now().toString(36)}`;
  const email = `${tag}@example.com`;
  const password = 'correct horse battery staple 9';

  beforeAll(async () => {
    stack = await startStack();
    stack.remember(password);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const call = (path: string, init: RequestInit & { token?: string } = {}) =>
    fetch(`${stack.gateway}${path}`, {
      ...init,
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.headers as Record<string, string>),
      },
    });
  const json = { 'content-type': 'application/json' };
  const signIn = async (who: string, pw: string) => {
    const res = await call('/api/v1/auth/login', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: who, password: pw }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { accessToken: string; user: { id: string } };
  };

  it('when a user registers and signs in, then their profile appears from the event stream and can be edited', async () => {
    const registered = await call('/api/v1/auth/register', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email, password, firstName: 'Eve' }),
    });
    expect(registered.status).toBe(201);
    // An unverified address cannot sign in (docs/passwords-and-login.md): open the mailed link.
    const verified = await call('/api/v1/auth/email/verify', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ token: await mailedToken(stack.mailDir, email) }),
    });
    expect(verified.status).toBe(200);
    const { accessToken } = await signIn(email, password);
    // The profile can answer before user.registered arrives (a bare profile); wait for the event.
    const profile = await eventually(async () => {
      const res = await call('/api/v1/users/me', { token: accessToken });
      const body = res.status === 200 ? ((await res.json()) as Record<string, unknown>) : undefined;
      return body?.email === email ? body : undefined;
    }, 'the profile filled from user.registered');
    expect(profile).toMatchObject({ email, firstName: 'Eve' });

    const patched = await call('/api/v1/users/me', {
      method: 'PATCH',
      token: accessToken,
      headers: json,
      body: JSON.stringify({
        displayName: 'Eve E2E',
        bio: '<b>stored as text</b>',
        preferences: { language: 'fr', theme: 'dark', timezone: 'Europe/Paris' },
      }),
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      displayName: 'Eve E2E',
      bio: '<b>stored as text</b>',
      preferences: { language: 'fr', theme: 'dark', timezone: 'Europe/Paris' },
    });
  });

  it('when the user uploads an avatar, then it is served re-encoded as WebP with nosniff', async () => {
    const { accessToken } = await signIn(email, password);
    const form = new FormData();
    form.append('avatar', new Blob([png], { type: 'image/png' }), 'me.png');
    const upload = await call('/api/v1/users/me/avatar', {
      method: 'PUT',
      token: accessToken,
      body: form,
    });
    expect(upload.status).toBeLessThan(300);
    const me = (await (await call('/api/v1/users/me', { token: accessToken })).json()) as {
      avatarUrl: string;
    };
    expect(me.avatarUrl).toBeTruthy();
    const image = await call(
      new URL(me.avatarUrl, stack.gateway).pathname + new URL(me.avatarUrl, stack.gateway).search,
      { token: accessToken },
    );
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/webp');
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('when a 6 MB avatar is uploaded through the gateway with curl, then the service refuses it with 413 avatar.too_large, not a 502', async () => {
    const { accessToken } = await signIn(email, password);
    const file = join(mkdtempSync(join(tmpdir(), 'ums-e2e-avatar-')), 'big.png');
    writeFileSync(file, Buffer.alloc(6 * 1024 * 1024, 0x41));
    // curl as the outside probe used it: it streams the form as fast as the sockets take it, so
    // a service that resets the connection after its 413 made the gateway answer 502.
    const answers: string[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const { stdout } = await execFileAsync('curl', [
        ...['-sS', '-X', 'PUT', '-H', `Authorization: Bearer ${accessToken}`],
        ...['-F', `avatar=@${file};type=image/png`, '-w', '\\n%{http_code}'],
        `${stack.gateway}/api/v1/users/me/avatar`,
      ]);
      answers.push(stdout);
    }
    rmSync(dirname(file), { recursive: true, force: true });
    for (const answer of answers) {
      const [body = '', status] = answer.split('\n');
      expect([status, JSON.parse(body) as unknown]).toEqual([
        '413',
        expect.objectContaining({ code: 'avatar.too_large' }),
      ]);
    }
  });

  it('when the seeded admin searches, exports and reads the audit log, then the user is found in all three', async () => {
    const admin = await signIn('admin@usermanagement.local', 'AdminPassword123!');
    const user = await signIn(email, password);
    const found = await call(`/api/v1/users?q=${tag}`, { token: admin.accessToken });
    expect(found.status).toBe(200);
    expect(JSON.stringify(await found.json())).toContain(email);

    const csv = await call(`/api/v1/users/export?format=csv&q=${tag}`, {
      token: admin.accessToken,
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(await csv.text()).toContain(email);

    const audit = await eventually(async () => {
      const res = await call(`/api/v1/audit-logs?userId=${user.user.id}`, {
        token: admin.accessToken,
      });
      const text = await res.text();
      return res.status === 200 &&
        text.includes('user.registered') &&
        text.includes('auth.login_succeeded')
        ? text
        : undefined;
    }, "the user's audit trail");
    expect(audit).toContain(user.user.id);

    // A plain user is refused the admin views.
    expect((await call(`/api/v1/users?q=${tag}`, { token: user.accessToken })).status).toBe(403);
  });
});
