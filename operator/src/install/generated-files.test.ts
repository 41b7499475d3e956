import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderGeneratedFiles, repoRoot } from './render.ts';

test('when the TypeScript definitions are rendered, then every committed generated file matches (run `node operator/scripts/generate.ts` if not)', async () => {
  const files = await renderGeneratedFiles();
  expect(files.size).toBeGreaterThanOrEqual(13);
  for (const [path, expected] of files) {
    const actual = await readFile(join(repoRoot, path), 'utf8').catch(() => '(missing)');
    expect({ path, content: actual }).toEqual({ path, content: expected });
  }
});
