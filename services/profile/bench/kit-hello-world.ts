// A second baseline: the same hello world behind the kit's middleware (request id, access log,
// metrics, health, JSON guard) and helmet, so the /users/me result separates the service's own
// cost from the shared stack's.
import helmet from 'helmet';
import { createServiceApp, finalize } from '@ums/service-kit/app';
import { createHealth } from '@ums/service-kit/health';
import { createLogger } from '@ums/service-kit/logger';
import { createMetrics } from '@ums/service-kit/metrics';

const logger = createLogger({ name: 'kit-hello', level: 'warn' });
const app = createServiceApp({
  serviceName: 'kit-hello',
  logger,
  metrics: createMetrics({ serviceName: 'kit-hello' }),
  health: createHealth(),
});
app.use(helmet());
app.get('/', (_req, res) => {
  res.json({ hello: 'world' });
});
finalize(app);
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : ''}\n`);
});
