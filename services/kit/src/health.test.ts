import { jest } from '@jest/globals';
import express from 'express';
import request from 'supertest';
import { createHealth } from './health.ts';
import type { HealthOptions } from './health.ts';
import { captureLogger } from './test/test-support.ts';

function setup(options: HealthOptions) {
  const health = createHealth(options);
  const app = express();
  app.use(health.router);
  return { app, health };
}

describe('createHealth', () => {
  it('when /health is requested, then it answers 200 ok without running checks', async () => {
    const check = jest.fn(async () => {
      throw new Error('db down');
    });
    const { app } = setup({ checks: { db: check } });
    const res = await request(app).get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(check).not.toHaveBeenCalled();
  });

  it('when all checks pass, then /ready is 200 with each check ok', async () => {
    const { app } = setup({ checks: { db: async () => 1, cache: async () => 'PONG' } });
    const res = await request(app).get('/ready').expect(200);
    expect(res.body).toEqual({ status: 'ready', checks: { db: 'ok', cache: 'ok' } });
  });

  it('when a check fails, then /ready is 503 naming the failure', async () => {
    const { logger, records } = captureLogger();
    const { app } = setup({
      logger,
      checks: {
        db: async () => {
          throw new Error('connection refused');
        },
        cache: async () => 'PONG',
      },
    });
    const res = await request(app).get('/ready').expect(503);
    expect(res.body).toEqual({
      status: 'not_ready',
      checks: { db: 'connection refused', cache: 'ok' },
    });
    expect(records()[0]).toMatchObject({ level: 'warn', checks: { db: 'connection refused' } });
  });

  it('when a check throws synchronously, then it counts as failed rather than crashing', async () => {
    const { app } = setup({
      checks: {
        broken: () => {
          throw new Error('sync boom');
        },
      },
    });
    const res = await request(app).get('/ready').expect(503);
    expect(res.body.checks).toEqual({ broken: 'sync boom' });
  });

  it('when a check is slower than the timeout, then it reports timeout and /ready is 503', async () => {
    const { app } = setup({
      timeoutMs: 50,
      checks: { slow: () => new Promise((resolve) => setTimeout(resolve, 1000).unref()) },
    });
    const started = Date.now();
    const res = await request(app).get('/ready').expect(503);
    expect(res.body).toEqual({ status: 'not_ready', checks: { slow: 'timeout' } });
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('when shutting down, then /ready is 503 shutting_down while /health stays 200', async () => {
    const { app, health } = setup({ checks: { db: async () => 1 } });
    await request(app).get('/ready').expect(200);
    health.setShuttingDown();
    const res = await request(app).get('/ready').expect(503);
    expect(res.body).toEqual({ status: 'shutting_down' });
    await request(app).get('/health').expect(200);
  });
});
