import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { components, existingComponents } from './components.ts';

describe('existing components', () => {
  it('when a workspace has a start script, then it is started; a README-only folder is not', () => {
    const root = mkdtempSync(join(tmpdir(), 'ums-components-'));
    mkdirSync(join(root, 'services/auth'), { recursive: true });
    writeFileSync(
      join(root, 'services/auth/package.json'),
      JSON.stringify({ scripts: { start: 'node src/main.ts' } }),
    );
    mkdirSync(join(root, 'services/profile'), { recursive: true });
    writeFileSync(join(root, 'services/profile/README.md'), 'later');
    mkdirSync(join(root, 'web'), { recursive: true });
    writeFileSync(join(root, 'web/package.json'), JSON.stringify({ scripts: { test: 'vitest' } }));
    expect(existingComponents(root).map((c) => c.name)).toEqual(['auth']);
  });

  it('when listed, then every component has its own port and gateway variable', () => {
    expect(new Set(components.map((c) => c.port)).size).toBe(components.length);
    expect(new Set(components.map((c) => c.gatewayEnv)).size).toBe(components.length);
  });
});
