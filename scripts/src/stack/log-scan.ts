// The log scan at the end of `npm test`: every log line the run's stacks and pods wrote is read
// for credentials. Two kinds of evidence: shapes that are secrets wherever they appear (a signed
// JWT, an otpauth URI, a bearer credential, a credential field with a value) and the exact
// values the tests handled (passwords typed, TOTP secrets and recovery codes shown, tokens
// mailed or returned), which the end-to-end stacks record beside their logs.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sensitiveKeys } from '@ums/service-kit/logger';

export interface Finding {
  file: string;
  line: number;
  kind: string;
  /** The line around the match, with the match itself masked. */
  excerpt: string;
}

// The logger's redacted keys, less those that also name innocent values in our logs (error
// `code`s, Secret names, cookie names): those are covered by the exact values below instead.
const genericKeys = new Set(['token', 'code', 'secret', 'authorization', 'cookie', 'apiKey']);
const credentialFields = sensitiveKeys.filter((key) => !genericKeys.has(key)).join('|');

const REDACTED = '\\[REDACTED\\]';

export const secretShapes: readonly { kind: string; pattern: RegExp }[] = [
  {
    kind: 'signed JWT',
    pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/,
  },
  { kind: 'TOTP provisioning URI', pattern: /otpauth:\/\/[^\s"]*secret=[A-Z2-7]/i },
  {
    kind: 'bearer credential',
    pattern: new RegExp(`\\bBearer\\s+(?!${REDACTED})[A-Za-z0-9._~+/-]{16,}`, 'i'),
  },
  {
    kind: 'credential field',
    pattern: new RegExp(`"(?:${credentialFields})"\\s*:\\s*(?:"(?!${REDACTED}")[^"]+"|\\[\\s*")`),
  },
  {
    kind: 'credential in a URL',
    pattern: new RegExp(
      `[?#&](?:token|access_token|refresh_token|id_token)=(?!${REDACTED})[A-Za-z0-9._~%-]{16,}`,
    ),
  },
];

// `npm start` prints the development seed's demo users (and their passwords) on purpose, once,
// in its banner: that block is output for the developer at the terminal, not a log line.
const BANNER_START = 'Demo users (development seed only):';
const BANNER_END = 'Press Ctrl-C to stop.';

function mask(line: string, match: string): string {
  const at = line.indexOf(match);
  const kept = `${match.slice(0, 4)}…(${match.length} chars)`;
  const masked = line.slice(0, at) + kept + line.slice(at + match.length);
  return masked.length > 240 ? `${masked.slice(Math.max(0, at - 80), at + 160)}` : masked;
}

/** Findings in one log text; `secrets` are exact values that must appear nowhere. */
export function scanText(file: string, text: string, secrets: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  let inBanner = false;
  text.split('\n').forEach((line, index) => {
    if (line.includes(BANNER_START)) inBanner = true;
    if (inBanner) {
      if (line.includes(BANNER_END)) inBanner = false;
      return;
    }
    const report = (kind: string, match: string) =>
      findings.push({ file, line: index + 1, kind, excerpt: mask(line, match) });
    for (const { kind, pattern } of secretShapes) {
      const match = pattern.exec(line);
      if (match) report(kind, match[0]);
    }
    for (const secret of secrets)
      if (line.includes(secret)) report('a value the tests used', secret);
  });
  return findings;
}

// Shorter values (a role name, a TOTP code) would match innocent text.
export const MIN_SECRET_LENGTH = 8;

function filesUnder(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => path.endsWith(suffix) && statSync(path).isFile());
}

/** Every `*.secrets.json` (arrays of strings) under the folders. */
export function readSecrets(dirs: readonly string[]): Set<string> {
  const secrets = new Set<string>();
  for (const file of dirs.flatMap((dir) => filesUnder(dir, '.secrets.json'))) {
    for (const value of JSON.parse(readFileSync(file, 'utf8')) as unknown[]) {
      if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) secrets.add(value);
    }
  }
  return secrets;
}

/** Scans every `*.log` under the folders against the shapes and the recorded values. */
export function scanLogs(dirs: readonly string[]): { files: number; findings: Finding[] } {
  const secrets = readSecrets(dirs);
  const files = dirs.flatMap((dir) => filesUnder(dir, '.log'));
  const findings = files.flatMap((file) => scanText(file, readFileSync(file, 'utf8'), secrets));
  return { files: files.length, findings };
}
