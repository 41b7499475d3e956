// Renders nginx.conf.template with the few values that differ between the container and a test
// run (listen address, document root, writable run directory, extra include directory). The
// Dockerfile and scripts/src/web-delivery use this same file, so both run the same config.
//   node web/nginx/render-conf.ts --listen 8080 --root /usr/share/nginx/html \
//     --run-dir /tmp --include-dir /etc/nginx/ums.d > nginx.conf
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

export interface NginxParams {
  /** `port` or `address:port`. */
  listen: string;
  root: string;
  runDir: string;
  includeDir: string;
}

const template = new URL('./nginx.conf.template', import.meta.url);

/** Substitutes only `${NGINX_*}` placeholders: nginx's own `$variables` are left alone. */
export function renderNginxConf(
  params: NginxParams,
  text = readFileSync(template, 'utf8'),
): string {
  const values: Record<string, string> = {
    NGINX_LISTEN: params.listen,
    NGINX_ROOT: params.root,
    NGINX_RUN_DIR: params.runDir,
    NGINX_INCLUDE_DIR: params.includeDir,
  };
  for (const [name, value] of Object.entries(values)) {
    // A value with spaces, quotes or `;` would change the config's meaning, not just a path.
    if (!/^[\w./:[\]-]+$/.test(value)) throw new Error(`${name} has unsafe characters: ${value}`);
  }
  return text.replace(/\$\{(NGINX_\w+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`unknown placeholder \${${name}} in the template`);
    return value;
  });
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      listen: { type: 'string', default: '8080' },
      root: { type: 'string', default: '/usr/share/nginx/html' },
      'run-dir': { type: 'string', default: '/tmp' },
      'include-dir': { type: 'string', default: '/etc/nginx/ums.d' },
    },
  });
  process.stdout.write(
    renderNginxConf({
      listen: values.listen,
      root: values.root,
      runDir: values['run-dir'],
      includeDir: values['include-dir'],
    }),
  );
}
