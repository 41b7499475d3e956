// What each service image's build context holds, computed the way the image build computes it:
// the files git sees under the Dockerfile's COPY sources, minus its .dockerignore. Test support,
// test files and benchmarks must stay out of every image; the code the service runs must stay in.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import dockerignoreModule from '@balena/dockerignore';

// A CommonJS module whose types declare an ES default export: at run time the import is the factory.
const dockerignore = dockerignoreModule as unknown as typeof dockerignoreModule.default;

const root = join(import.meta.dirname, '../../..');

const images = {
  auth: { dockerfile: 'operator/docker/auth.Dockerfile', runs: 'services/auth/src/main.ts' },
  profile: {
    dockerfile: 'operator/docker/profile.Dockerfile',
    runs: 'services/profile/src/main.ts',
  },
  operator: { dockerfile: 'operator/docker/operator.Dockerfile', runs: 'operator/src/main.ts' },
  web: { dockerfile: 'web/Dockerfile', runs: 'web/src/main.tsx' },
} as const;

/** The build-context paths a Dockerfile's COPY lines read (not those copied from a stage). */
function copySources(dockerfile: string): string[] {
  return readFileSync(join(root, dockerfile), 'utf8')
    .split('\n')
    .filter((line) => /^COPY\s/i.test(line) && !line.includes('--from='))
    .flatMap((line) => line.trim().split(/\s+/).slice(1, -1))
    .filter((word) => !word.startsWith('--'));
}

function buildContext(dockerfile: string): string[] {
  const files = execFileSync(
    'git',
    ['ls-files', '-c', '-o', '--exclude-standard', '--', ...copySources(dockerfile)],
    { cwd: root, encoding: 'utf8' },
  )
    .split('\n')
    .filter(Boolean);
  const ignore = dockerignore({ ignorecase: false }).add(
    readFileSync(join(root, `${dockerfile}.dockerignore`), 'utf8'),
  );
  return ignore.filter(files);
}

const shipsOnlyForTests = /(^|\/)src\/test(-support)?\/|\.test\.tsx?$|(^|\/)bench\/|test-support/;

describe.each(Object.entries(images))('the %s image build context', (_name, image) => {
  const context = buildContext(image.dockerfile);

  it('holds the code the image runs', () => {
    expect(context).toContain(image.runs);
  });

  it('holds no test support, test or benchmark file', () => {
    expect(context.filter((path) => shipsOnlyForTests.test(path))).toEqual([]);
  });
});

describe('the pattern that keeps tests out', () => {
  it('matches what exists in the tree today', () => {
    const all = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n');
    for (const sample of [
      'services/auth/src/test/harness.ts',
      'services/kit/src/test/test-support.ts',
      'operator/src/test-support/cluster.ts',
      'services/auth/src/routes/hygiene.test.ts',
    ]) {
      expect(all).toContain(sample);
      expect(shipsOnlyForTests.test(sample)).toBe(true);
    }
  });
});
