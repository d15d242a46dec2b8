/**
 * The two Temporal workers one worker process hosts:
 *  - main queue: the workflows and the run-row activities (begin, finalize, reap);
 *  - Graph queue: the page activity only, so Graph request rates can be capped per queue
 *    (`maxTaskQueueActivitiesPerSecond`, enforced by the server across all workers) and per
 *    tenant (fairness-key rate limit, see graph-queue-limits.ts).
 * Activities are built by factories closing over their dependencies.
 */
import { Worker, type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import { type Client } from '@temporalio/client';
import { type DataSource } from 'typeorm';
import {
  createExecutionLiveness,
  createGraphActivities,
  createRunActivities,
  type SyncLimits,
} from '../activities';
import { type GraphClient } from '../graph/client';
import { type Logger } from '../logging/logger';

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
  limits: SyncLimits;
  slots: { activities: number; workflowTasks: number };
  /** Graph requests per second for the whole Graph queue, all workers together. */
  graphQueueRps: number;
  logger: Logger;
}

export interface InventoryWorkers {
  /** Resolves when both workers have shut down; rejects if either fails. */
  run(): Promise<void>;
  shutdown(): void;
}

export async function createInventoryWorkers(options: InventoryWorkersOptions): Promise<InventoryWorkers> {
  const { connection, namespace, db, logger } = options;
  const runActivities = createRunActivities({
    db,
    liveness: createExecutionLiveness(options.client.workflow),
    limits: options.limits,
    graphTaskQueue: options.graphTaskQueue,
    logger,
  });
  const graphActivities = createGraphActivities({ db, graph: options.graph });

  const main = await Worker.create({
    connection,
    namespace,
    taskQueue: options.taskQueue,
    ...options.workflows,
    activities: runActivities,
    maxConcurrentActivityTaskExecutions: options.slots.activities,
    maxConcurrentWorkflowTaskExecutions: options.slots.workflowTasks,
  });
  const graph = await Worker.create({
    connection,
    namespace,
    taskQueue: options.graphTaskQueue,
    activities: graphActivities,
    maxConcurrentActivityTaskExecutions: options.slots.activities,
    maxTaskQueueActivitiesPerSecond: options.graphQueueRps,
  });

  return {
    run: async () => {
      await Promise.all([main.run(), graph.run()]);
    },
    shutdown: () => {
      for (const worker of [main, graph]) {
        if (worker.getState() === 'RUNNING') worker.shutdown();
      }
    },
  };
}
