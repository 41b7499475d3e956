import { runService } from '@ums/service-kit/run-service';
import { createAuthApp } from './app.ts';
import { loadAuthConfig } from './config.ts';
import { createContainer } from './container.ts';
// Already loaded by --import (same module instance); imported here only to flush on exit.
import { tracing } from './instrumentation.ts';

await runService({
  name: 'auth',
  loadConfig: loadAuthConfig,
  createContainer,
  createApp: createAuthApp,
  tracing,
});
