// Runs the operator against $KUBECONFIG, the in-cluster service account, or the local
// development cluster's .local/kubeconfig, in that order.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { createLogger } from '@ums/service-kit/logger';
import { loadOperatorConfig } from './config.ts';
import { createOperator } from './operator.ts';

const config = loadOperatorConfig();
const logger = createLogger({ name: 'ums-operator', level: config.LOG_LEVEL });

const kubeConfig = new KubeConfig();
const localKubeconfig = fileURLToPath(new URL('../../.local/kubeconfig', import.meta.url));
if (
  !process.env.KUBECONFIG &&
  !process.env.KUBERNETES_SERVICE_HOST &&
  existsSync(localKubeconfig)
) {
  kubeConfig.loadFromFile(localKubeconfig);
} else {
  kubeConfig.loadFromDefault();
}

const operator = createOperator({
  config,
  kubeConfig,
  logger,
  onLostLease: () => {
    // Another replica may already lead; continuing could mean two writers. Exit and restart clean.
    logger.flush();
    process.exit(1);
  },
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    operator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

await operator.start();
