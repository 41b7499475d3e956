// Connection settings for the real local servers, as written to .local/env by scripts/ums.sh.
// A missing setting is a failed test with a pointer to the fix, never a skipped one.
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: start the local servers with \`npm run infra:up\` (or run \`npm test\`)`,
    );
  }
  return value;
}

/** A short random suffix so parallel and repeated runs never collide on names. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
