/**
 * The Temporal workers one worker process hosts:
 *  - main queue: the workflows and the run-row activities (begin, finalize, reap);
 *  - Graph queue: the page activity and the onboarding check's probes (one Graph or token request
 *    each), so Graph request rates can be capped per queue (`maxTaskQueueActivitiesPerSecond`,
 *    enforced by the server across all workers) and per tenant (fairness-key rate limit, see
 *    graph-queue-limits.ts);
 *  - one more Graph queue per policy type with a lower documented rate (e.g. Conditional Access),
 *    the same activities under that type's per-tenant rate (inventory/workflow-ids.ts).
 * Activities are built by factories closing over their dependencies.
 *
 * Shutdown is graceful: every worker stops polling and give in-flight tasks `shutdownGraceMs` to
 * finish, so a page being fetched is stored and reported instead of lost and fetched again.
 */
import { Worker, type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import { type Client } from '@temporalio/client';
import { type DataSource } from 'typeorm';
import {
  createExecutionLiveness,
  createGraphActivities,
  createRunActivities,
  createSlotHandoff,
  type PageObserver,
  type RunObserver,
  type SyncLimits,
} from '../activities';
import { createTenantCheckActivities } from '../activities/tenant-check-activities';
import { type GraphClient } from '../graph/client';
import { type TokenProvider } from '../graph/credentials';
import { graphQueues } from '../inventory/workflow-ids';
import { type Logger } from '../logging/logger';
import { type WorkerState } from './readiness';
import { runTogether, shutdownAll } from './run-together';

export interface InventoryWorkersOptions {
  connection: NativeConnection;
  client: Client;
  namespace: string;
  taskQueue: string;
  graphTaskQueue: string;
  /** A prebuilt bundle (tests, fast restarts) or the path to bundle at start. */
  workflows: { workflowBundle: WorkflowBundleOption } | { workflowsPath: string };
  db: DataSource;
  graph: GraphClient;
  /** The tokens `graph` uses, for the onboarding check's token probe. */
  tokens: TokenProvider;
  /** The app's admin-consent URL in a tenant (the onboarding check prints it). */
  consentUrl: (tenantId: string) => string;
  limits: SyncLimits;
  slots: { activities: number; workflowTasks: number };
  /** Graph requests per second for the whole Graph queue, all workers together. */
  graphQueueRps: number;
  /** How long in-flight activities may run on after shutdown is requested before being cancelled. */
  shutdownGraceMs: number;
  logger: Logger;
  /** Where runs and pages are reported for metrics (worker/metrics.ts). */
  observers?: { runs?: RunObserver; pages?: PageObserver };
}

export interface InventoryWorkers {
  /**
   * Resolves when both workers have shut down; rejects if either fails, once the other has been
   * shut down too.
   */
  run(): Promise<void>;
  shutdown(): void;
  /** Each worker's task queue and state (RUNNING while it polls), for readiness. */
  states(): WorkerState[];
}

/**
 * Creates both workers on `connection`; nothing polls until `run()`. With `workflowsPath`, creation
 * bundles the workflows, which takes seconds. Worker.create failures pass through unchanged.
 */
export async function createInventoryWorkers(options: InventoryWorkersOptions): Promise<InventoryWorkers> {
  const { connection, namespace, db, logger } = options;
  const runActivities = createRunActivities({
    db,
    liveness: createExecutionLiveness(options.client.workflow),
    handoff: createSlotHandoff({ db, workflows: options.client.workflow, limits: options.limits, logger }),
    limits: options.limits,
    graphTaskQueue: options.graphTaskQueue,
    logger,
    ...(options.observers?.runs && { observer: options.observers.runs }),
  });
  const graphActivities = {
    ...createGraphActivities({
      db,
      graph: options.graph,
      budgets: {
        maxAttempts: options.limits.graphMaxAttempts,
        throttleBudgetMs: options.limits.graphThrottleBudgetMs,
      },
      logger,
      ...(options.observers?.pages && { observer: options.observers.pages }),
    }),
    ...createTenantCheckActivities({
      graph: options.graph,
      tokens: options.tokens,
      consentUrl: options.consentUrl,
    }),
  };

  const main = await Worker.create({
    connection,
    namespace,
    taskQueue: options.taskQueue,
    ...options.workflows,
    activities: runActivities,
    maxConcurrentActivityTaskExecutions: options.slots.activities,
    maxConcurrentWorkflowTaskExecutions: options.slots.workflowTasks,
    shutdownGraceTime: options.shutdownGraceMs,
  });
  // One worker per Graph queue: the Graph queue, and each rate-limited type's own (workflow-ids.ts).
  const graphWorkers = await Promise.all(
    graphQueues(options.graphTaskQueue, 1).map(({ taskQueue }) =>
      Worker.create({
        connection,
        namespace,
        taskQueue,
        activities: graphActivities,
        maxConcurrentActivityTaskExecutions: options.slots.activities,
        maxTaskQueueActivitiesPerSecond: options.graphQueueRps,
        shutdownGraceTime: options.shutdownGraceMs,
      }),
    ),
  );

  const workers = [main, ...graphWorkers];
  return {
    run: () => runTogether(workers),
    shutdown: () => shutdownAll(workers),
    states: () => workers.map((w) => ({ taskQueue: w.options.taskQueue, state: w.getState() })),
  };
}
