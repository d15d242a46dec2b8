/**
 * The onboarding check through Temporal: the worker holds the app's credentials, so the check runs
 * there (workflows/tenant-check.ts) and callers need no secret. One check per tenant at a time:
 * a second caller joins the running one.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { boundedEcho } from '../inventory/bounded-echo';
import { InventoryError, isErrorCode } from '../inventory/error-codes';
import { parseTenantId } from '../inventory/tenant-id';
import { TENANT_CHECK_WORKFLOW_TYPE, tenantCheckWorkflowId } from '../inventory/workflow-ids';
import { orTemporalUnavailable } from '../temporal/errors';
import type { tenantCheck } from '../workflows/tenant-check';
import type { TenantCheckResult } from '../workflows/tenant-check-contract';
import { type InventoryClientDeps } from './client-deps';

/**
 * Long enough for every type to wait out Graph throttling a few times, short enough that a check
 * without a worker polling ends with an answer.
 */
const CHECK_TIMEOUT = '10 minutes';

/**
 * The check runs on a worker: without one polling the task queue it would wait silently until its
 * timeout, so the server is asked first whether a worker polled the queue lately (DescribeTaskQueue
 * lists the pollers it saw in the last minutes).
 */
async function assertWorkerPolls(deps: InventoryClientDeps): Promise<void> {
  const { pollers } = await orTemporalUnavailable(
    deps.temporal.workflowService.describeTaskQueue({
      namespace: deps.temporal.options.namespace,
      taskQueue: { name: deps.taskQueue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    }),
  );
  if (pollers.length === 0) {
    throw new InventoryError(
      'worker_unavailable',
      `no worker polls task queue ${boundedEcho(deps.taskQueue, { max: 80 })}, and the check runs on one`,
    );
  }
}

/** Backs `InventoryClient.checkTenant`; `worker_unavailable` when no worker polls the task queue. */
export async function checkTenant(
  deps: InventoryClientDeps,
  tenantIdInput: string,
): Promise<TenantCheckResult> {
  const tenantId = parseTenantId(tenantIdInput);
  await assertWorkerPolls(deps);
  try {
    return await orTemporalUnavailable(
      deps.temporal.workflow.execute<typeof tenantCheck>(TENANT_CHECK_WORKFLOW_TYPE, {
        taskQueue: deps.taskQueue,
        workflowId: tenantCheckWorkflowId(deps.taskQueue, tenantId),
        args: [{ tenantId }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowExecutionTimeout: CHECK_TIMEOUT,
        priority: { fairnessKey: tenantId },
      }),
    );
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    const cause = error.cause;
    if (cause instanceof ApplicationFailure && cause.type && isErrorCode(cause.type)) {
      throw new InventoryError(cause.type, cause.message);
    }
    throw new InventoryError(
      'internal_error',
      `the check of tenant ${tenantId} did not finish: ${boundedEcho(cause?.message ?? error.message)}`,
    );
  }
}
