import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runService = fileURLToPath(new URL('./run-service.ts', import.meta.url));
const config = fileURLToPath(new URL('./config.ts', import.meta.url));

// A real child process: runService exits the process, which a test cannot do in-process.
function start(failAt: 'config' | 'app'): { status: number | null; stderr: string } {
  const script = `
    import { runService } from ${JSON.stringify(runService)};
    import { ConfigError } from ${JSON.stringify(config)};
    const bad = () => { throw new ConfigError(['SECRET_THING: is required but not set']); };
    await runService({
      name: 'demo',
      loadConfig: ${failAt === 'config' ? 'bad' : "() => ({ SERVICE_NAME: 'demo', LOG_LEVEL: 'error', HOST: '127.0.0.1', PORT: 0, SHUTDOWN_TIMEOUT_MS: 1000 })"},
      createContainer: () => ({ health: { setShuttingDown() {} }, async start() {}, async stop() {} }),
      createApp: bad,
    });`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe('runService', () => {
  it('when the configuration cannot be loaded, then the process exits 1 naming the service and the variable', () => {
    const { status, stderr } = start('config');
    expect(status).toBe(1);
    expect(stderr).toContain('demo: refusing to start.');
    expect(stderr).toContain('SECRET_THING: is required but not set');
  });

  it('when building the app finds a configuration problem, then it is refused the same way, not with a stack trace', () => {
    const { status, stderr } = start('app');
    expect(status).toBe(1);
    expect(stderr).toContain('demo: refusing to start.');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
