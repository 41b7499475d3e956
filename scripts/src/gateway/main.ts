// Entry point: `node scripts/src/gateway/main.ts`. Tracing comes first: OpenTelemetry patches
// http and express as they load, so the gateway's own modules are imported only after it (a
// dynamic import; a static one would be loaded before this module's body runs).
import { tracing } from './instrumentation.ts';

const { serveGateway } = await import('./serve.ts');
await serveGateway(tracing);
