import { runService } from '@ums/service-kit/run-service';
import { createProfileApp } from './app.ts';
import { loadProfileConfig } from './config.ts';
import { createContainer } from './container.ts';
// Already loaded by --import (same module instance); imported here only to flush on exit.
import { tracing } from './instrumentation.ts';

await runService({
  name: 'profile',
  loadConfig: loadProfileConfig,
  createContainer,
  createApp: createProfileApp,
  tracing,
});
