import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTestAuth, type TestAuth } from '../test/harness.ts';

const run = promisify(execFile);
const serviceDir = fileURLToPath(new URL('../..', import.meta.url));

describe('npm run keys:rotate (src/cli/keys.ts)', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth();
  });
  afterAll(async () => t.close());

  function cli(args: string[], env: Record<string, string>) {
    return run(process.execPath, ['src/cli/keys.ts', ...args], {
      cwd: serviceDir,
      env: { PATH: process.env.PATH ?? '', ...env },
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    );
  }

  const keyRows = async () =>
    (
      await t.container.db.query<{
        kid: string;
        retired_at: Date | null;
        public_jwk: { n: string };
        private_key_enc: string;
      }>(
        'SELECT kid, retired_at, public_jwk, private_key_enc FROM signing_keys ORDER BY created_at',
      )
    ).rows;

  it('when run with the right KEK, then it rotates, prints the new kid and no key material', async () => {
    const [old] = await keyRows();
    const out = await cli(['rotate'], {
      DATABASE_URL: t.config.DATABASE_URL,
      TOKEN_KEK: t.config.TOKEN_KEK,
    });
    expect(out.code).toBe(0);

    const rows = await keyRows();
    const active = rows.filter((r) => r.retired_at === null).map((r) => r.kid);
    expect(active).toHaveLength(1);
    expect(active).not.toContain(old?.kid);
    expect(out.stdout).toContain(`new kid ${active[0]}`);
    const printed = out.stdout + out.stderr;
    for (const row of rows) {
      expect(printed).not.toContain(row.private_key_enc);
      expect(printed).not.toContain(row.public_jwk.n.slice(0, 32));
    }
    expect(printed).not.toContain(t.config.TOKEN_KEK);
    expect(printed).not.toMatch(/PRIVATE KEY|BEGIN/);

    // The running service signs with the new key after its short signer cache lapses.
    expect((await t.container.keys.publicKeys(0)).map((k) => k.kid)).toEqual(
      expect.arrayContaining([old?.kid, ...active]),
    );
  });

  it('when run with a KEK that cannot open the current key, then it refuses and adds nothing', async () => {
    const before = await keyRows();
    const out = await cli(['rotate'], {
      DATABASE_URL: t.config.DATABASE_URL,
      TOKEN_KEK: randomBytes(32).toString('base64'),
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('TOKEN_KEK does not open the current signing key');
    expect(await keyRows()).toEqual(before);
  });

  it('when TOKEN_KEK is missing, then it refuses to start and names the variable', async () => {
    const out = await cli(['rotate'], { DATABASE_URL: t.config.DATABASE_URL });
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('TOKEN_KEK');
  });

  it('when asked to list, then it prints each kid with its state and nothing secret', async () => {
    const out = await cli(['list'], {
      DATABASE_URL: t.config.DATABASE_URL,
      TOKEN_KEK: t.config.TOKEN_KEK,
    });
    expect(out.code).toBe(0);
    const rows = await keyRows();
    for (const row of rows) expect(out.stdout).toContain(row.kid);
    expect(out.stdout).toMatch(/ active /);
    expect(out.stdout).toMatch(/ published /);
    for (const row of rows) expect(out.stdout).not.toContain(row.private_key_enc);
  });

  it('when given an unknown command, then it exits non-zero with the list of commands', async () => {
    const out = await cli(['explode'], {
      DATABASE_URL: t.config.DATABASE_URL,
      TOKEN_KEK: t.config.TOKEN_KEK,
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('rotate, list');
  });
});
