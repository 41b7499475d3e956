// Signing-key commands behind `npm run keys:rotate`. Prints key ids and dates, never key material.
import { loadConfig } from '@ums/service-kit/config';
import { createLogger } from '@ums/service-kit/logger';
import { authConfigSchema } from '../config.ts';
import { createDb } from '../data/db.ts';
import { createSealer } from '../domain/crypto.ts';
import { createSigningKeys } from '../domain/signing-keys.ts';

const config = loadConfig(
  authConfigSchema.pick({
    DATABASE_URL: true,
    TOKEN_KEK: true,
    ACCESS_TOKEN_TTL: true,
    KEY_ROTATION_INTERVAL: true,
  }),
);
const say = (message: string) => process.stdout.write(`auth: ${message}\n`);

async function run(command: string | undefined): Promise<void> {
  const db = createDb({
    connectionString: config.DATABASE_URL,
    max: 2,
    logger: createLogger({ name: 'auth-cli', level: 'warn' }),
  });
  const keys = createSigningKeys({
    db,
    sealer: createSealer(config.TOKEN_KEK, 'signing-keys'),
    accessTokenTtl: config.ACCESS_TOKEN_TTL,
    rotationInterval: config.KEY_ROTATION_INTERVAL,
  });
  try {
    switch (command) {
      case 'rotate': {
        await keys.ensureKey();
        // A key sealed under a different KEK would be unreadable by the service: refuse to add one.
        await keys.currentSigner().catch(() => {
          throw new Error('TOKEN_KEK does not open the current signing key; nothing was rotated');
        });
        say(`rotated signing keys; new kid ${await keys.rotate()}`);
        return;
      }
      case 'list': {
        const { rows } = await db.query<{
          kid: string;
          created_at: Date;
          retired_at: Date | null;
          expires_at: Date | null;
        }>(
          'SELECT kid, created_at, retired_at, expires_at FROM signing_keys ORDER BY created_at DESC',
        );
        for (const k of rows) {
          const state =
            k.retired_at === null
              ? 'active'
              : k.expires_at && k.expires_at > new Date()
                ? 'published'
                : 'expired';
          say(
            `${k.kid} ${state} created ${k.created_at.toISOString()}${k.expires_at ? ` until ${k.expires_at.toISOString()}` : ''}`,
          );
        }
        return;
      }
      default:
        throw new Error(`unknown command ${command ?? '(none)'}: rotate, list`);
    }
  } finally {
    await db.end();
  }
}

try {
  await run(process.argv[2]);
} catch (error) {
  process.stderr.write(`auth: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
