/**
 * Identifiers that tie Temporal executions to run rows. The workflow ID of a sync is derived from
 * tenant and selection hash, so Temporal's one-open-execution-per-ID rule is the lock; the
 * correlation id stored on the run row names the execution chain that owns the row.
 *
 * Pure: safe to import from workflow code.
 */
import { POLICY_TYPE_KEYS, policyType, type PolicyType } from './policy-types';

export const SYNC_WORKFLOW_TYPE = 'inventorySync';
export const SCHEDULED_SYNC_WORKFLOW_TYPE = 'scheduledInventorySync';
export const REAPER_WORKFLOW_TYPE = 'inventoryReaper';
export const TENANT_CHECK_WORKFLOW_TYPE = 'tenantCheck';

/** Appended to the main task queue's name for the Graph activities' queue. */
export const GRAPH_QUEUE_SUFFIX = '-graph';

/** The Graph activities' task queue of a deployment whose main queue is `taskQueue`. */
export function graphTaskQueueOf(taskQueue: string): string {
  return `${taskQueue}${GRAPH_QUEUE_SUFFIX}`;
}

/**
 * The Graph queue that carries `type`'s requests: `<graph queue>-<type>` for a type whose registry
 * entry sets a lower per-tenant rate than the tenant's (Temporal rate-limits per queue and fairness
 * key, with one default rate per queue), else the deployment's Graph queue.
 */
export function graphQueueOfType(graphTaskQueue: string, type: PolicyType): string {
  return policyType(type).requestsPerSecond === undefined ? graphTaskQueue : `${graphTaskQueue}-${type}`;
}

/**
 * Every Graph queue of a deployment with its per-tenant rate (requests/s): the Graph queue at
 * `tenantRps`, and one per rate-limited type at the lower of its rate and `tenantRps`.
 */
export function graphQueues(
  graphTaskQueue: string,
  tenantRps: number,
): Array<{ taskQueue: string; tenantRps: number }> {
  const typed = POLICY_TYPE_KEYS.flatMap((type) => {
    const rps = policyType(type).requestsPerSecond;
    return rps === undefined
      ? []
      : [{ taskQueue: graphQueueOfType(graphTaskQueue, type), tenantRps: Math.min(rps, tenantRps) }];
  });
  return [{ taskQueue: graphTaskQueue, tenantRps }, ...typed];
}

/**
 * One onboarding check per deployment and tenant at a time, `tenant-check:<task queue>:<tenant id>`:
 * a second caller joins the running check instead of doubling its Graph requests, and deployments
 * sharing a namespace (another app, another cloud) never answer for each other.
 */
export function tenantCheckWorkflowId(taskQueue: string, tenantId: string): string {
  return `tenant-check:${taskQueue}:${tenantId}`;
}

/** One reaper per deployment (task queue), so deployments sharing a namespace don't collide. */
export function reaperScheduleId(taskQueue: string): string {
  return `inventory-reaper:${taskQueue}`;
}

export const SYNC_WORKFLOW_ID_PREFIX = 'inventory-sync:';

/** The lock of one tenant and selection: `inventory-sync:<tenant id>:<selection hash>`. */
export function syncWorkflowId(tenantId: string, selectionHash: string): string {
  return `${SYNC_WORKFLOW_ID_PREFIX}${tenantId}:${selectionHash}`;
}

export const SYNC_SCHEDULE_PREFIX = 'inventory-schedule:';

/**
 * The schedule of one tenant and selection, `inventory-schedule:<tenant id>:<selection hash>`, so
 * creating it again updates the same schedule.
 */
export function syncScheduleId(tenantId: string, selectionHash: string): string {
  return `${SYNC_SCHEDULE_PREFIX}${tenantId}:${selectionHash}`;
}

/** `<workflowId>/<firstExecutionRunId>`: stable across continue-as-new. */
export function correlationId(workflowId: string, firstExecutionRunId: string): string {
  return `${workflowId}/${firstExecutionRunId}`;
}

/**
 * Splits a correlation id at its last `/`, so a workflow ID may contain one; null when either part is empty.
 */
export function parseCorrelationId(
  value: string,
): { workflowId: string; firstExecutionRunId: string } | null {
  const slash = value.lastIndexOf('/');
  if (slash <= 0 || slash === value.length - 1) return null;
  return { workflowId: value.slice(0, slash), firstExecutionRunId: value.slice(slash + 1) };
}
