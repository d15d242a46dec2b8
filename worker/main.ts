/**
 * The worker process (`inventory worker`, `npm run worker`): connects to PostgreSQL as the runtime
 * role (refusing a role that bypasses row-level security), to Microsoft Graph with the app's
 * credential, and to Temporal; prepares the namespace (search attributes, Graph queue limits,
 * reaper schedule); then hosts both workers until SIGINT/SIGTERM, which the Temporal runtime turns
 * into a graceful shutdown (in-flight activities get WORKER_SHUTDOWN_GRACE to finish). Connections
 * close in `finally`. Run compiled, it loads the build's workflow bundle and refuses a stale one;
 * run from the sources, it bundles them at start (workflow-bundle.ts).
 *
 * Operations: the service's metrics, `/healthz` and `/readyz` on METRICS_ADDRESS (from right after
 * the database is reached), the Temporal SDK's metrics on TEMPORAL_METRICS_ADDRESS.
 */
import { Client } from '@temporalio/client';
import { loadWorkerConfig, type WorkerConfig } from '../config/worker';
import { createDataSource, initializeDataSource } from '../db/data-source';
import { assertRuntimeRoleIsolated } from '../db/runtime-role-guard';
import { createPostgresTenantLimiter } from '../db/tenant-request-limiter';
import { adminConsentUrl } from '../graph/admin-consent';
import { GRAPH_CLOUDS } from '../graph/clouds';
import { createGraphClient } from '../graph/client';
import { createTokenProvider } from '../graph/credentials';
import { createLogger, type Logger } from '../logging/logger';
import { connectClient, connectNative } from '../temporal/connection';
import { ensureSearchAttributes } from '../temporal/search-attributes';
import { createInventoryWorkers, type InventoryWorkers } from './create-workers';
import { applyGraphQueueLimits } from './graph-queue-limits';
import { ensureReaperSchedule } from './reaper-schedule';
import { watchReaperSchedule } from './reaper-watch';
import { createServiceMetrics, type ServiceMetrics } from './metrics';
import { registerDatabaseGauges } from './metrics-gauges';
import { startMetricsServer } from './metrics-server';
import { createReadinessCheck } from './readiness';
import { installTemporalRuntime } from './temporal-runtime';
import { workflowCode } from './workflow-bundle';

/**
 * Resolves once the workers have shut down gracefully. Start-up fails with `config_invalid` (settings
 * or database role), `workflow_bundle_stale`, `db_error` or `temporal_unavailable`.
 */
export async function runWorker(config: WorkerConfig = loadWorkerConfig()): Promise<void> {
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'inventory-worker' });
  installTemporalRuntime(logger, { metricsAddress: config.TEMPORAL_METRICS_ADDRESS });
  // First, before any connection: a compiled worker on a stale bundle must not start at all.
  const workflows = workflowCode();
  if ('workflowBundle' in workflows) logger.info(workflows.workflowBundle, 'prebuilt workflow bundle');
  const closers: Array<() => Promise<void>> = [];
  const metrics = createServiceMetrics();
  let workers: InventoryWorkers | null = null;
  try {
    const db = createDataSource({
      url: config.DATABASE_URL,
      poolSize: config.DATABASE_POOL_SIZE,
      applicationName: 'inventory-worker',
    });
    await initializeDataSource(db);
    closers.push(() => db.destroy());
    await assertRuntimeRoleIsolated(db, { allowBypass: config.INVENTORY_ALLOW_RLS_BYPASS });

    const clientConnection = await connectClient(config);
    closers.push(() => clientConnection.close());
    const client = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE });
    await ensureSearchAttributes(clientConnection, config.TEMPORAL_NAMESPACE);
    await applyGraphQueueLimits(client, {
      namespace: config.TEMPORAL_NAMESPACE,
      graphTaskQueue: config.graphTaskQueue,
      tenantRps: config.GRAPH_TENANT_RPS,
      optional: config.GRAPH_TENANT_RPS_OPTIONAL,
      logger,
    });
    await ensureReaperSchedule(client, config.INVENTORY_TASK_QUEUE);
    const reaperWatch = watchReaperSchedule(client, config.INVENTORY_TASK_QUEUE, { logger });
    closers.push(() => reaperWatch.stop());
    // Announced once the settings only a live server can judge have passed: a start-up that
    // fails prints its one error line and nothing else.
    if (config.TEMPORAL_METRICS_ADDRESS) {
      logger.info({ address: config.TEMPORAL_METRICS_ADDRESS }, 'Temporal SDK metrics listening on /metrics');
    }
    if (config.METRICS_ADDRESS) {
      closers.push(await serveOperations(config, config.METRICS_ADDRESS, metrics, () => workers, logger));
    }

    const tokens = createTokenProvider({
      clientId: config.AZURE_CLIENT_ID,
      ...(config.AZURE_CLIENT_SECRET && { clientSecret: config.AZURE_CLIENT_SECRET }),
      ...(config.AZURE_CLIENT_CERTIFICATE_PATH && {
        certificatePath: config.AZURE_CLIENT_CERTIFICATE_PATH,
      }),
      authorityHost: config.graph.authorityHost,
      tokenScope: config.graph.tokenScope,
      cloud: config.graph.cloud,
      observer: metrics.tokens,
    });
    const connection = await connectNative(config);
    closers.push(() => connection.close());
    workers = await createInventoryWorkers({
      connection,
      client,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.INVENTORY_TASK_QUEUE,
      graphTaskQueue: config.graphTaskQueue,
      workflows,
      db,
      graph: createGraphClient({
        baseUrl: config.graph.graphBaseUrl,
        graphOrigin: GRAPH_CLOUDS[config.graph.cloud].graphOrigin,
        timeoutMs: config.GRAPH_REQUEST_TIMEOUT,
        maxPageBytes: config.GRAPH_MAX_PAGE_BYTES,
        // Shared by every worker process on this database: the tenant's rate, not once per process.
        tenantLimiter: createPostgresTenantLimiter(db, { requestsPerSecond: config.GRAPH_TENANT_RPS }),
        assignments: config.SYNC_ASSIGNMENTS,
        tokens,
        observer: metrics.graph,
      }),
      tokens,
      consentUrl: (tenantId) => adminConsentUrl(config.graph.cloud, tenantId, config.AZURE_CLIENT_ID),
      limits: {
        global: config.SYNC_MAX_CONCURRENT_GLOBAL,
        perTenant: config.SYNC_MAX_CONCURRENT_PER_TENANT,
        typeConcurrency: config.SYNC_TYPE_CONCURRENCY,
        slotWaitMs: config.SYNC_SLOT_WAIT,
        graphMaxAttempts: config.GRAPH_MAX_ATTEMPTS,
        graphThrottleBudgetMs: config.GRAPH_THROTTLE_BUDGET,
        pagesPerExecution: config.SYNC_PAGES_PER_EXECUTION,
        pagesPerActivity: config.SYNC_PAGES_PER_ACTIVITY,
      },
      slots: {
        activities: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
        workflowTasks: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      },
      graphQueueRps: config.GRAPH_QUEUE_RPS,
      shutdownGraceMs: config.WORKER_SHUTDOWN_GRACE,
      logger,
      observers: { runs: metrics.runs, pages: metrics.pages },
    });
    logger.info(
      { taskQueue: config.INVENTORY_TASK_QUEUE, graphTaskQueue: config.graphTaskQueue },
      'worker running; Ctrl-C stops it gracefully',
    );
    await workers.run();
    logger.info('worker stopped');
  } finally {
    for (const close of closers.reverse()) await close();
  }
}

/**
 * Starts the operations listener on `address`: `metrics`' registry plus the scrape-time gauges,
 * read through a pool of two connections of its own, and readiness of `workers` (null while they
 * are being created). Resolves to what closes both.
 */
async function serveOperations(
  config: WorkerConfig,
  address: { host: string; port: number },
  metrics: ServiceMetrics,
  workers: () => InventoryWorkers | null,
  logger: Logger,
): Promise<() => Promise<void>> {
  // Scrapes and probes neither wait for the syncs' pool nor take connections from it.
  const monitorDb = createDataSource({
    url: config.DATABASE_URL,
    poolSize: 2,
    applicationName: 'inventory-worker-metrics',
  });
  await initializeDataSource(monitorDb);
  try {
    const ready = createReadinessCheck({ workers: () => workers()?.states() ?? null, db: monitorDb });
    registerDatabaseGauges({ registry: metrics.registry, db: monitorDb, ready, logger });
    const server = await startMetricsServer({ ...address, registry: metrics.registry, ready, logger });
    logger.info({ url: server.url }, 'metrics, /healthz and /readyz listening');
    return async () => {
      await server.close();
      await monitorDb.destroy();
    };
  } catch (error) {
    await monitorDb.destroy();
    throw error;
  }
}
