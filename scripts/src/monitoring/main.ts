// `npm run monitoring:up|down|status` (through scripts/ums.sh, which ensures the binaries first):
// the local monitoring servers on their default ports, left running in the background with their
// pids in .local/run, so that `npm start` finds and reuses them.
import { join } from 'node:path';
import {
  monitoringStatus,
  monitoringUrls,
  portsFromEnv,
  startMonitoring,
  stopMonitoring,
} from './index.ts';

const local = new URL('../../../.local/', import.meta.url).pathname;
const runDir = join(local, 'run');

async function main(command: string | undefined): Promise<void> {
  const urls = monitoringUrls(portsFromEnv());
  const where: Record<string, string> = {
    prometheus: urls.prometheus,
    alertmanager: urls.alertmanager,
    'node-exporter': `${urls.nodeExporter}/metrics`,
    jaeger: `${urls.jaeger} (OTLP/HTTP ${urls.otlpHttp})`,
  };
  switch (command) {
    case 'up': {
      const m = await startMonitoring({
        dataDir: join(local, 'data'),
        logDir: join(local, 'log'),
        runDir,
        persistent: true,
      });
      for (const name of [...m.started, ...m.reused])
        console.log(
          `    ✓ ${name.padEnd(13)} ${where[name]}${m.reused.includes(name) ? ' (already running)' : ''}`,
        );
      if (m.ruleFiles.length === 0)
        console.log(
          '    (no alert rules loaded: monitoring/rules/ums-alerts.rules.yaml does not exist)',
        );
      break;
    }
    case 'down':
      for (const name of await stopMonitoring(runDir)) console.log(`    ✓ ${name} stopped`);
      break;
    case 'status':
      for (const [name, pid] of Object.entries(monitoringStatus(runDir)))
        console.log(pid === undefined ? `${name}: down` : `${name}: up (${where[name]})`);
      break;
    default:
      throw new Error(`unknown monitoring command: ${command} (up, down, status)`);
  }
}

try {
  await main(process.argv[2]);
} catch (error) {
  console.error(`✗ ${(error as Error).message}`);
  process.exitCode = 1;
}
