/**
 * Per-tenant Graph request rate: the Graph queue's activities carry the tenant id as fairness key,
 * and the queue's default per-key rate limit caps each tenant (Intune allows 1,000 requests per
 * 20 s per app and tenant; the default here stays well below). Needs fairness enabled on the
 * server (dev server: --dynamic-config-value matching.enableFairness=true).
 */
import { type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { type Logger } from '../logging/logger';

export async function applyGraphQueueLimits(
  client: Client,
  options: { namespace: string; graphTaskQueue: string; tenantRps: number; logger: Logger },
): Promise<boolean> {
  try {
    await client.workflowService.updateTaskQueueConfig({
      namespace: options.namespace,
      identity: 'inventory-sync-worker',
      taskQueue: options.graphTaskQueue,
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
      updateFairnessKeyRateLimitDefault: {
        rateLimit: { requestsPerSecond: options.tenantRps },
        reason: 'inventory-sync: per-tenant Graph request budget (GRAPH_TENANT_RPS)',
      },
    });
    return true;
  } catch (error) {
    options.logger.warn(
      { err: error, taskQueue: options.graphTaskQueue },
      'could not set the per-tenant Graph rate limit on the task queue (is fairness enabled on the server?); only the global GRAPH_QUEUE_RPS applies',
    );
    return false;
  }
}
