// What the local stack can run, and which of it exists in this checkout today.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Component {
  name: 'auth' | 'profile' | 'web';
  dir: string;
  port: number;
  /** The gateway's variable pointing at this component. */
  gatewayEnv: 'AUTH_URL' | 'PROFILE_URL' | 'WEB_URL';
}

export const components: readonly Component[] = [
  { name: 'auth', dir: 'services/auth', port: 8001, gatewayEnv: 'AUTH_URL' },
  { name: 'profile', dir: 'services/profile', port: 8002, gatewayEnv: 'PROFILE_URL' },
  { name: 'web', dir: 'web', port: 3000, gatewayEnv: 'WEB_URL' },
];

/** A component exists once its workspace has a package.json with a `start` script. */
export function existingComponents(
  root: string,
  all: readonly Component[] = components,
): Component[] {
  return all.filter((c) => {
    const file = join(root, c.dir, 'package.json');
    if (!existsSync(file)) return false;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { scripts?: Record<string, string> };
    return typeof pkg.scripts?.start === 'string';
  });
}

/** The seed README's demo users, printed by `npm start` once the auth service seeds them. */
export const demoUsers = [
  { email: 'admin@usermanagement.local', password: 'AdminPassword123!', role: 'super_admin' },
  { email: 'demo.admin@usermanagement.local', password: 'DemoAdmin123!', role: 'admin' },
  { email: 'john.doe@example.com', password: 'DemoUser123!', role: 'user' },
  { email: 'jane.smith@example.com', password: 'DemoUser123!', role: 'user' },
  { email: 'alice.wilson@example.com', password: 'DemoUser123!', role: 'user' },
  { email: 'mike.brown@example.com', password: 'DemoUser123!', role: 'admin' },
] as const;
