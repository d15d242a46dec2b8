/**
 * The whole engine, for one test file: a private database, a Graph simulator over HTTPS with the
 * real @azure/identity flow, in-process workers on the shared Temporal dev server under a task
 * queue of their own, and the thin client. Nothing is mocked.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import { NativeConnection } from '@temporalio/worker';
import { type SyncLimits } from '../../activities';
import { InventoryClient } from '../../client';
import { adminConsentUrl } from '../../graph/admin-consent';
import { createPostgresTenantLimiter } from '../../db/tenant-request-limiter';
import { createGraphClient } from '../../graph/client';
import { graphScope } from '../../graph/clouds';
import { createTokenProvider } from '../../graph/credentials';
import { startGraphSimulator } from '../../simulator/server';
import { type GraphSimulator, type TenantSpec } from '../../simulator/types';
import { createLogger, type Logger } from '../../logging/logger';
import { applyGraphQueueLimits } from '../../worker/graph-queue-limits';
import { createInventoryWorkers, type InventoryWorkers } from '../../worker/create-workers';
import { createServiceMetrics, type ServiceMetrics } from '../../worker/metrics';
import { registerDatabaseGauges } from '../../worker/metrics-gauges';
import { startMetricsServer } from '../../worker/metrics-server';
import { createReadinessCheck } from '../../worker/readiness';
import { installTemporalRuntime } from '../../worker/temporal-runtime';
import { createTestDatabase, type TestDatabase } from './database';
import { TEST_APP, TLS_DIR } from '../graph/support';
import { DEFAULT_GRAPH_MAX_PAGE_BYTES } from '../../config/fragments';

export const DEFAULT_TEST_LIMITS: SyncLimits = {
  global: 10,
  perTenant: 2,
  typeConcurrency: 4,
  slotWaitMs: 0,
  graphMaxAttempts: 5,
  graphThrottleBudgetMs: 60_000,
  pagesPerExecution: 500,
  pagesPerActivity: 500,
};

/** In-flight pages get this long to finish when a test stops its workers. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface RunningWorkers {
  workers: InventoryWorkers;
  /** The workers' operations listener (`/metrics`, `/healthz`, `/readyz`), on a free local port. */
  metricsUrl: string;
  stop(): Promise<void>;
}

export interface Engine {
  db: TestDatabase;
  sim: GraphSimulator;
  temporal: Client;
  client: InventoryClient;
  taskQueue: string;
  graphTaskQueue: string;
  /**
   * Starts in-process workers for this file's queues; `stop()` shuts them down and waits. The
   * workflows are the suite's prebuilt bundle unless `workflowsPath` names other workflow code
   * (a test fixture that re-exports the real workflows beside its own).
   */
  startWorkers(
    limits?: Partial<SyncLimits>,
    options?: { workflowsPath?: string; logger?: Logger },
  ): Promise<RunningWorkers>;
  /**
   * The engine's metrics: the graph client and token provider report into them, and so do the
   * workers `startWorkers` starts; the scrape-time gauges read the runtime database at every scrape.
   */
  metrics: ServiceMetrics;
  /** A tenant known to both the simulator and the database. */
  addTenant(spec?: Omit<TenantSpec, 'tenantId'>, name?: string): Promise<string>;
  /** The environment a worker *process* needs to join this engine (`inventory worker`). */
  workerProcessEnv(limits?: Partial<SyncLimits>): Record<string, string>;
  close(): Promise<void>;
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: is test/setup/temporal.ts in vitest's globalSetup?`);
  return value;
}

const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'error', name: 'engine-test' });

export async function startEngine(
  options: {
    simulatorLatencyMs?: number;
    tenantRps?: number;
    maxPageBytes?: number;
    /** SYNC_ASSIGNMENTS of the in-process workers (default true). */
    assignments?: boolean;
  } = {},
): Promise<Engine> {
  installTemporalRuntime(logger);
  const address = requireEnv('INVENTORY_TEST_TEMPORAL_ADDRESS');
  const namespace = requireEnv('INVENTORY_TEST_TEMPORAL_NAMESPACE');
  const db = await createTestDatabase();
  const sim = await startGraphSimulator({
    tlsDir: TLS_DIR,
    seed: 11,
    clients: [TEST_APP],
    ...(options.simulatorLatencyMs !== undefined && { latencyMs: options.simulatorLatencyMs }),
  });
  const connection = await Connection.connect({ address });
  const temporal = new Client({ connection, namespace });
  const taskQueue = `test-${randomUUID()}`;
  const graphTaskQueue = `${taskQueue}-graph`;
  await applyGraphQueueLimits(temporal, {
    namespace,
    graphTaskQueue,
    tenantRps: options.tenantRps ?? 1000,
    optional: false,
    logger,
  });
  const client = new InventoryClient({ temporal, db: db.runtime, taskQueue });
  const running = new Set<RunningWorkers>();
  const metrics = createServiceMetrics();
  // The gauges' readiness is that of the workers started last.
  let latest: InventoryWorkers | null = null;
  registerDatabaseGauges({
    registry: metrics.registry,
    db: db.runtime,
    ready: createReadinessCheck({ workers: () => latest?.states() ?? null, db: db.runtime }),
    logger,
    tenantRefreshMs: 0,
  });

  const tokens = createTokenProvider({
    clientId: TEST_APP.clientId,
    clientSecret: TEST_APP.clientSecret,
    authorityHost: sim.authorityHost,
    tokenScope: graphScope(sim.cloud),
    cloud: sim.cloud,
    observer: metrics.tokens,
  });
  const graph = createGraphClient({
    baseUrl: sim.baseUrl,
    timeoutMs: 5_000,
    maxPageBytes: options.maxPageBytes ?? DEFAULT_GRAPH_MAX_PAGE_BYTES,
    // As the worker does: every request of a tenant, each inside a batch too, at GRAPH_TENANT_RPS,
    // paced in the database across every worker of the engine.
    tenantLimiter: createPostgresTenantLimiter(db.runtime, { requestsPerSecond: options.tenantRps ?? 1000 }),
    ...(options.assignments !== undefined && { assignments: options.assignments }),
    tokens,
    observer: metrics.graph,
  });

  return {
    db,
    sim,
    temporal,
    client,
    taskQueue,
    graphTaskQueue,
    metrics,

    async startWorkers(limits = {}, workerOptions = {}) {
      const native = await NativeConnection.connect({ address });
      const workers = await createInventoryWorkers({
        connection: native,
        client: temporal,
        namespace,
        taskQueue,
        graphTaskQueue,
        workflows: workerOptions.workflowsPath
          ? { workflowsPath: workerOptions.workflowsPath }
          : { workflowBundle: { codePath: requireEnv('INVENTORY_TEST_WORKFLOW_BUNDLE') } },
        db: db.runtime,
        graph,
        tokens,
        consentUrl: (tenantId) => adminConsentUrl(sim.cloud, tenantId, TEST_APP.clientId),
        limits: { ...DEFAULT_TEST_LIMITS, ...limits },
        slots: { activities: 20, workflowTasks: 10 },
        graphQueueRps: 500,
        shutdownGraceMs: SHUTDOWN_GRACE_MS,
        logger: workerOptions.logger ?? logger,
        observers: { runs: metrics.runs, pages: metrics.pages },
      });
      const server = await startMetricsServer({
        host: '127.0.0.1',
        port: 0,
        registry: metrics.registry,
        ready: createReadinessCheck({ workers: () => workers.states(), db: db.runtime }),
        logger,
      });
      latest = workers;
      const done = workers.run();
      const handle: RunningWorkers = {
        workers,
        metricsUrl: server.url,
        async stop() {
          running.delete(handle);
          workers.shutdown();
          try {
            await done;
          } finally {
            await server.close();
            await native.close();
          }
        },
      };
      running.add(handle);
      return handle;
    },

    async addTenant(spec = {}, name = 'Contoso') {
      const tenantId = randomUUID();
      await sim.admin.upsertTenant({ tenantId, ...spec });
      await client.registerTenant({ tenantId, displayName: name });
      return tenantId;
    },

    workerProcessEnv(limits = {}) {
      const l = { ...DEFAULT_TEST_LIMITS, ...limits };
      return {
        DATABASE_URL: db.runtimeUrl,
        TEMPORAL_ADDRESS: address,
        TEMPORAL_NAMESPACE: namespace,
        INVENTORY_TASK_QUEUE: taskQueue,
        GRAPH_CLOUD: sim.cloud,
        GRAPH_BASE_URL: sim.baseUrl,
        AZURE_AUTHORITY_HOST: sim.authorityHost,
        AZURE_CLIENT_ID: TEST_APP.clientId,
        AZURE_CLIENT_SECRET: TEST_APP.clientSecret,
        GRAPH_REQUEST_TIMEOUT: '5s',
        SYNC_MAX_CONCURRENT_GLOBAL: String(l.global),
        SYNC_MAX_CONCURRENT_PER_TENANT: String(l.perTenant),
        SYNC_TYPE_CONCURRENCY: String(l.typeConcurrency),
        SYNC_SLOT_WAIT: `${l.slotWaitMs}ms`,
        GRAPH_MAX_ATTEMPTS: String(l.graphMaxAttempts),
        GRAPH_THROTTLE_BUDGET: `${l.graphThrottleBudgetMs}ms`,
        SYNC_PAGES_PER_EXECUTION: String(l.pagesPerExecution),
        SYNC_PAGES_PER_ACTIVITY: String(l.pagesPerActivity),
        GRAPH_TENANT_RPS: String(options.tenantRps ?? 1000),
        // Any free port: several worker processes of the suite run at once.
        METRICS_ADDRESS: '127.0.0.1:0',
        TEMPORAL_METRICS_ADDRESS: 'off',
        LOG_LEVEL: 'warn',
      };
    },

    async close() {
      await Promise.all([...running].map((r) => r.stop()));
      await connection.close();
      await sim.close();
      await db.drop();
    },
  };
}

/**
 * For a test file that runs against one engine with workers: starts both before the file's tests
 * and shuts them down after. Read `.engine` inside tests and hooks.
 */
export function useEngine(options: { limits?: Partial<SyncLimits> } = {}): { readonly engine: Engine } {
  let engine: Engine | undefined;
  let workers: RunningWorkers | undefined;
  beforeAll(async () => {
    engine = await startEngine();
    workers = await engine.startWorkers(options.limits);
  });
  afterAll(async () => {
    await workers?.stop();
    await engine?.close();
  });
  return {
    get engine(): Engine {
      if (!engine) throw new Error('the engine starts in beforeAll; use it inside tests and hooks');
      return engine;
    },
  };
}

/**
 * Waits until the workflow has a page activity (`syncPage`, or `syncTypes` reading many pages)
 * running on a worker (started, not yet completed).
 */
export async function waitForPageInFlight(temporal: Client, workflowId: string): Promise<void> {
  const handle = temporal.workflow.getHandle(workflowId);
  for (let i = 0; i < 400; i++) {
    const { raw } = await handle.describe();
    const running = (raw.pendingActivities ?? []).some(
      (a) =>
        (a.activityType?.name === 'syncPage' || a.activityType?.name === 'syncTypes') &&
        a.state === proto.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED,
    );
    if (running) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${workflowId} never had a page activity running`);
}
