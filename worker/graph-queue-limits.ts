/**
 * Per-tenant Graph request rate: the Graph queue's activities carry the tenant id as fairness key,
 * and the queue's default per-key rate limit caps each tenant (Intune allows 1,000 requests per
 * 20 s per app and tenant; the default here stays well below). Needs fairness enabled on the
 * server (dev server: --dynamic-config-value matching.enableFairness=true).
 *
 * The rate keeps Intune from throttling the app, so a server that does not take it (or answers
 * with another rate) stops the worker from starting, unless GRAPH_TENANT_RPS_OPTIONAL says running
 * with only the global GRAPH_QUEUE_RPS is acceptable. A server with fairness disabled takes and
 * returns the rate without enforcing it (Temporal dev server 1.32, checked), and nothing in the API
 * reveals that: the start-up log line says the rate holds only where fairness is enabled.
 */
import { type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { InventoryError } from '../inventory/error-codes';
import { graphQueues } from '../inventory/workflow-ids';
import { type Logger } from '../logging/logger';

export interface QueueLimitOptions {
  namespace: string;
  graphTaskQueue: string;
  /** Requests per second per tenant (fairness key). */
  tenantRps: number;
  /** GRAPH_TENANT_RPS_OPTIONAL: warn instead of refusing when the rate is not applied. */
  optional: boolean;
  logger: Logger;
}

/**
 * Sets every Graph queue's default fairness-key rate (inventory/workflow-ids.ts `graphQueues`: the
 * Graph queue at `tenantRps` requests per second, a rate-limited type's own queue at its lower
 * rate) and checks the server kept it; if not, `temporal_unavailable`, or only a warning when
 * `optional`. Intune's limit: https://learn.microsoft.com/graph/throttling-limits#intune-service-limits.
 */
export async function applyGraphQueueLimits(client: Client, options: QueueLimitOptions): Promise<void> {
  for (const queue of graphQueues(options.graphTaskQueue, options.tenantRps)) {
    await applyQueueLimit(client, {
      ...options,
      graphTaskQueue: queue.taskQueue,
      tenantRps: queue.tenantRps,
    });
  }
}

async function applyQueueLimit(client: Client, options: QueueLimitOptions): Promise<void> {
  let problem: string;
  try {
    const { config } = await client.workflowService.updateTaskQueueConfig({
      namespace: options.namespace,
      identity: 'inventory-sync-worker',
      taskQueue: options.graphTaskQueue,
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
      updateFairnessKeyRateLimitDefault: {
        rateLimit: { requestsPerSecond: options.tenantRps },
        reason: 'inventory-sync: per-tenant Graph request budget (GRAPH_TENANT_RPS)',
      },
    });
    // The wire type is a 32-bit float: compare at that precision.
    const applied = config?.fairnessKeysRateLimitDefault?.rateLimit?.requestsPerSecond;
    if (applied != null && Math.fround(applied) === Math.fround(options.tenantRps)) {
      options.logger.info(
        { taskQueue: options.graphTaskQueue, tenantRps: options.tenantRps },
        'per-tenant Graph rate limit set on the task queue; the server enforces it only with matching.enableFairness=true',
      );
      return;
    }
    problem = `the server answered with a per-tenant rate of ${applied ?? 'none'}`;
  } catch (error) {
    problem = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  }
  if (!options.optional) {
    throw new InventoryError(
      'temporal_unavailable',
      `the per-tenant Graph rate limit (GRAPH_TENANT_RPS=${options.tenantRps}) could not be set on task queue ` +
        `${options.graphTaskQueue} (${problem}); enable fairness on the server and allow the worker to update ` +
        'task queue config, or set GRAPH_TENANT_RPS_OPTIONAL=true to run with only GRAPH_QUEUE_RPS',
    );
  }
  options.logger.warn(
    { taskQueue: options.graphTaskQueue, problem },
    'could not set the per-tenant Graph rate limit on the task queue (GRAPH_TENANT_RPS_OPTIONAL=true); only the global GRAPH_QUEUE_RPS applies',
  );
}
