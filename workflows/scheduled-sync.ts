/**
 * What a Temporal Schedule starts. A schedule's own workflow IDs carry a timestamp, so they cannot
 * be the lock; this small trigger starts `inventorySync` as a child under the derived ID instead,
 * and waits for it so the schedule's overlap policy sees the whole sync. When that ID is already
 * running (a manual start got there first), the trigger reports it and ends.
 */
import { ParentClosePolicy, executeChild, workflowInfo } from '@temporalio/workflow';
// Not re-exported by @temporalio/workflow; @temporalio/common is sandbox-safe (the workflow package uses it).
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { SELECTION_HASH_ATTRIBUTE, TENANT_ID_ATTRIBUTE } from '../inventory/search-attributes';
import { syncWorkflowId } from '../inventory/workflow-ids';
import { type ScheduledSyncInput, type ScheduledSyncResult } from './contract';
import { inventorySync } from './inventory-sync';
import { orFailWithCode } from './failures';
import { parseScheduledSyncInput, refuseExtraArguments } from './sync-input';

/**
 * Input `{ tenantId, selection, selectionHash }`, parsed (`invalid_input`, `invalid_selection`);
 * returns `completed` with the sync's result or `already_running`. A failed sync fails this workflow
 * with its code; a hash that is not the selection's fails it with `invalid_input` (beginRun refuses it).
 */
export async function scheduledInventorySync(
  rawInput: ScheduledSyncInput,
  ...extra: unknown[]
): Promise<ScheduledSyncResult> {
  // A schedule's action can be edited by hand in the UI or CLI: its input is parsed like any other.
  refuseExtraArguments('scheduledInventorySync', extra);
  const input = parseScheduledSyncInput(rawInput);
  const workflowId = syncWorkflowId(input.tenantId, input.selectionHash);
  try {
    const result = await orFailWithCode(
      executeChild(inventorySync, {
        workflowId,
        taskQueue: workflowInfo().taskQueue,
        args: [{ tenantId: input.tenantId, selection: input.selection }],
        // Cancelling the trigger cancels the sync gracefully (it finalizes as run_cancelled).
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        typedSearchAttributes: [
          { key: TENANT_ID_ATTRIBUTE, value: input.tenantId },
          { key: SELECTION_HASH_ATTRIBUTE, value: input.selectionHash },
        ],
        memo: { selection: input.selection, selectionHash: input.selectionHash },
      }),
    );
    return { outcome: 'completed', workflowId, result };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError)
      return { outcome: 'already_running', workflowId };
    throw error;
  }
}
