/**
 * `/readyz` and `inventory_worker_ready` against a PostgreSQL of this file's own, stopped and
 * started again (the suite's shared cluster serves other files meanwhile): ready while the workers
 * poll and the database answers, 503 with the reason while it is down, ready again once it is back,
 * and not ready once the workers stopped. `/healthz` and `/metrics` answer throughout.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { type DataSource } from 'typeorm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDataSource, initializeDataSource } from '../../db/data-source';
import { runMigrations } from '../../db/migrate';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../dev/embedded-postgres';
import { createLogger } from '../../logging/logger';
import { registerDatabaseGauges } from '../../worker/metrics-gauges';
import { startMetricsServer, type MetricsServer } from '../../worker/metrics-server';
import { createReadinessCheck } from '../../worker/readiness';
import { startEngine, type Engine, type RunningWorkers } from '../support/engine';
import { has, httpGet, scrape, total } from '../support/prometheus';

let dir: string;
let cluster: EmbeddedPostgres;
let db: DataSource;
let engine: Engine;
let workers: RunningWorkers;
let workersStopped = false;
let server: MetricsServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'inventory-readiness-'));
  cluster = await startEmbeddedPostgres({ dataDir: join(dir, 'postgres') });
  await runMigrations(cluster.adminUrl);
  db = await initializeDataSource(createDataSource({ url: cluster.adminUrl, poolSize: 2 }));
  engine = await startEngine({ assignments: false });
  workers = await engine.startWorkers();
  const registry = new Registry();
  const ready = createReadinessCheck({ workers: () => workers.workers.states(), db });
  const logger = createLogger({ level: 'silent' });
  registerDatabaseGauges({ registry, db, ready, logger, tenantRefreshMs: 0 });
  server = await startMetricsServer({ host: '127.0.0.1', port: 0, registry, ready, logger });
});

afterAll(async () => {
  await server?.close();
  if (!workersStopped) await workers?.stop();
  await engine?.close();
  await db?.destroy();
  await cluster?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('is ready while the workers poll and the database answers', async () => {
  expect(await httpGet(`${server.url}/healthz`)).toMatchObject({ status: 200, body: 'ok\n' });
  expect(await httpGet(`${server.url}/readyz`)).toMatchObject({ status: 200, body: 'ready\n' });
  const { samples } = await scrape(server.url);
  expect(total(samples, 'inventory_worker_ready')).toBe(1);
  expect(has(samples, 'inventory_sync_runs_live')).toBe(true);
  expect(await httpGet(`${server.url}/other`)).toMatchObject({ status: 404 });
});

it('answers 503 with the reason while the database is stopped, and 200 again once it is back', async () => {
  const port = cluster.port;
  await cluster.stop();

  const down = await httpGet(`${server.url}/readyz`);
  expect(down.status).toBe(503);
  expect(down.body).toMatch(/^not ready: the database did not answer SELECT 1[^\n]*\n$/);
  expect(await httpGet(`${server.url}/healthz`)).toMatchObject({ status: 200 });
  // The scrape itself still answers: not ready, and live-run figures unknown rather than stale.
  const { samples } = await scrape(server.url);
  expect(total(samples, 'inventory_worker_ready')).toBe(0);
  expect(total(samples, 'inventory_sync_runs_live')).toBeNaN();
  expect(total(samples, 'inventory_sync_run_oldest_live_age_seconds')).toBeNaN();

  cluster = await startEmbeddedPostgres({ dataDir: join(dir, 'postgres'), port });
  await until(async () => (await httpGet(`${server.url}/readyz`)).status === 200, 'not ready again');
  const back = await scrape(server.url);
  expect(total(back.samples, 'inventory_worker_ready')).toBe(1);
  expect(total(back.samples, 'inventory_sync_runs_live')).toBe(0);
});

it('is not ready once the workers stopped polling', async () => {
  await workers.stop();
  workersStopped = true;
  const stopped = await httpGet(`${server.url}/readyz`);
  expect(stopped.status).toBe(503);
  expect(stopped.body).toMatch(
    /^not ready: the worker of task queue test-[^ ]+ is (STOPPED|DRAINED|STOPPING|FAILED)\n$/,
  );
  expect(await httpGet(`${server.url}/healthz`)).toMatchObject({ status: 200 });
});
