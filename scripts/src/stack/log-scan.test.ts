import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanLogs, scanText } from './log-scan.ts';

const none = new Set<string>();
const kindsIn = (line: string, secrets: ReadonlySet<string> = none) =>
  scanText('x.log', line, secrets).map((f) => f.kind);

const jwt =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiI2YjJkIiwic2lkIjoiMSJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbi1ibGFo';

describe('log scan', () => {
  it.each([
    ['a signed JWT', `{"msg":"verify","value":"${jwt}"}`, 'signed JWT'],
    [
      'an otpauth URI',
      'otpauth://totp/UMS:eve?secret=JBSWY3DPEHPK3PXP&issuer=UMS',
      'TOTP provisioning URI',
    ],
    ['a bearer header', '"authorization":"Bearer abcdefghijklmnop0123"', 'bearer credential'],
    ['a password field', '{"body":{"email":"e@x.test","password":"hunter22"}}', 'credential field'],
    ['a refresh token field', '{"refreshToken":"4f9c0d7e"}', 'credential field'],
    ['recovery codes', '{"recoveryCodes":["ABCD-EFGH"]}', 'credential field'],
    [
      'a token in a URL',
      'GET /reset-password?token=Zx81kfjw-aa0192kdlsa_3 200',
      'credential in a URL',
    ],
  ])('when a line holds %s, then it is a finding', (_what, line, kind) => {
    expect(kindsIn(line)).toEqual([kind]);
  });

  it.each([
    [
      'redacted fields',
      '{"password":"[REDACTED]","refreshToken":"[REDACTED]","recoveryCodes":"[REDACTED]"}',
    ],
    ['a redacted header', '"authorization":"Bearer [REDACTED]"'],
    ['a JWT header alone', '{"alg":"eyJhbGciOiJSUzI1NiJ9"}'],
    [
      'an ordinary request line',
      '{"req":{"method":"POST","url":"/api/v1/auth/login"},"res":{"statusCode":401}}',
    ],
    ['an error code', '{"err":{"errorCode":"ECONNREFUSED"},"msg":"Redis connection error"}'],
  ])('when a line holds %s, then it is clean', (_what, line) => {
    expect(kindsIn(line)).toEqual([]);
  });

  it('when a value the tests used appears anywhere in a line, then it is a finding, masked', () => {
    const secret = 'correct horse battery staple 9';
    const [finding] = scanText(
      'a.log',
      `ok\nauth | login failed for ${secret}\n`,
      new Set([secret]),
    );
    expect(finding).toMatchObject({ file: 'a.log', line: 2, kind: 'a value the tests used' });
    expect(finding?.excerpt).not.toContain(secret);
  });

  it("when the start banner lists the demo users' passwords, then that block is not a finding, and lines after it are scanned", () => {
    const text = [
      'Demo users (development seed only):',
      '  admin@example.com   AdminPassword123!  super_admin',
      'Press Ctrl-C to stop.',
      'auth | {"password":"AdminPassword123!"}',
    ].join('\n');
    const findings = scanText('s.log', text, new Set(['AdminPassword123!']));
    expect(findings.map((f) => f.line)).toEqual([4, 4]);
  });

  it('when logs and recorded values sit in nested folders, then every log is scanned against every value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ums-log-scan-'));
    try {
      mkdirSync(join(dir, 'pods', 'auth'), { recursive: true });
      writeFileSync(
        join(dir, 'stack-a.secrets.json'),
        JSON.stringify(['s3cret-reset-token', 'short']),
      );
      writeFileSync(join(dir, 'stack-a.log'), 'profile | all good\n');
      writeFileSync(join(dir, 'pods', 'auth', '0.log'), 'reset with s3cret-reset-token\nshort\n');
      const { files, findings } = scanLogs([dir, join(dir, 'missing')]);
      expect(files).toBe(2);
      expect(findings).toEqual([
        expect.objectContaining({ file: join(dir, 'pods', 'auth', '0.log'), line: 1 }),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
