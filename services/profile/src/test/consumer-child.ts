// A profile event consumer in a process of its own, for the crash test: the test SIGKILLs it
// mid-batch. TEST_HANDLE_DELAY_MS slows each event so the kill lands inside a batch.
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@ums/service-kit/logger';
import { loadProfileConfig } from '../config.ts';
import { createContainer } from '../container.ts';
import { consumerConnection, createEventConsumer } from '../data/event-consumer.ts';

const config = loadProfileConfig();
const logger = createLogger({ name: 'consumer-child', level: 'warn' });
const container = createContainer(config, logger);
const delayMs = Number(process.env.TEST_HANDLE_DELAY_MS ?? 0);
const consumer = createEventConsumer({
  redis: consumerConnection(container.redis, logger),
  stream: config.EVENTS_STREAM,
  group: config.EVENTS_GROUP,
  consumer: config.EVENTS_CONSUMER,
  batchSize: config.EVENTS_BATCH_SIZE,
  blockMs: config.EVENTS_BLOCK_MS,
  logger,
  handle: async (event) => {
    await sleep(delayMs);
    return container.handleEvent(event);
  },
});
consumer.start();
process.stdout.write('ready\n');
