// `npm run cdk8s:synth`: renders every environment into cdk8s/dist/<env>/, removing files no
// chart renders any more. The test in render.test.ts fails when the committed files are stale.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { distDir, renderEnvironment } from './app.ts';
import { environments } from './environments.ts';

for (const env of environments) {
  const dir = join(distDir, env.name);
  mkdirSync(dir, { recursive: true });
  const files = renderEnvironment(env);
  for (const stale of readdirSync(dir).filter((f) => !files.has(f))) rmSync(join(dir, stale));
  for (const [file, text] of files) writeFileSync(join(dir, file), text);
  process.stdout.write(`cdk8s/dist/${env.name}: ${[...files.keys()].join(', ')}\n`);
}
