/**
 * Starting and following syncs: a sync is started through Temporal under the derived workflow ID
 * (so a second start joins the running one), and followed through its progress query and result.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { orDbError } from '../db/errors';
import { getTenant } from '../db/repositories/tenants';
import { boundedEcho } from '../inventory/bounded-echo';
import { isErrorCode } from '../inventory/error-codes';
import { SELECTION_HASH_ATTRIBUTE, TENANT_ID_ATTRIBUTE } from '../inventory/search-attributes';
import { parseSelection, type Selection } from '../inventory/selection';
import { selectionHash } from '../inventory/selection-hash';
import { parseTenantId } from '../inventory/tenant-id';
import { SYNC_WORKFLOW_TYPE, syncWorkflowId } from '../inventory/workflow-ids';
import { orTemporalUnavailable } from '../temporal/errors';
import { progressQuery, type InventorySyncResult, type SyncProgress } from '../workflows/contract';
import type { inventorySync } from '../workflows/inventory-sync';
import { type InventoryClientDeps } from './client-deps';
import { SyncFailedError, TenantDisabledError, TenantNotFoundError } from './errors';
import { type SelectionInput } from '../workflows/contract';

export interface SyncStart {
  workflowId: string;
  /** The Temporal run id of the execution that handles the sync. */
  executionRunId: string;
  selectionHash: string;
  selection: Selection;
  /** true when a sync of this tenant and selection was already running and this call joined it. */
  joined: boolean;
}

/** Backs `InventoryClient.startSync`. */
export async function startSync(
  deps: InventoryClientDeps,
  input: { tenantId: string; selection: SelectionInput },
): Promise<SyncStart> {
  const tenantId = parseTenantId(input.tenantId);
  const selection = parseSelection(input.selection);
  const hash = selectionHash(selection);
  const tenant = await orDbError('cannot read the tenant', getTenant(deps.db.manager, tenantId));
  if (!tenant) throw new TenantNotFoundError(tenantId);
  if (!tenant.enabled) throw new TenantDisabledError(tenantId);

  const workflowId = syncWorkflowId(tenantId, hash);
  // The start response does not say whether this call started the execution or joined a running
  // one; a token in the memo, read back from the execution, does.
  const startToken = randomUUID();
  const start = deps.temporal.workflow.start<typeof inventorySync>(SYNC_WORKFLOW_TYPE, {
    taskQueue: deps.taskQueue,
    workflowId,
    args: [
      {
        tenantId,
        selection: { policy_types: [...selection.policy_types], categories: [...selection.categories] },
      },
    ],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: [
      { key: TENANT_ID_ATTRIBUTE, value: tenantId },
      { key: SELECTION_HASH_ATTRIBUTE, value: hash },
    ],
    memo: { selection, selectionHash: hash, startToken },
    priority: { fairnessKey: tenantId },
  });
  const handle = await orTemporalUnavailable(start);
  const description = await orTemporalUnavailable(handle.describe());
  const memo = description.memo ?? {};
  return {
    workflowId,
    executionRunId: description.runId,
    selectionHash: hash,
    selection,
    joined: memo.startToken !== startToken,
  };
}

/** Backs `InventoryClient.getProgress`. */
export async function getProgress(
  deps: InventoryClientDeps,
  workflowId: string,
): Promise<SyncProgress | null> {
  const handle = deps.temporal.workflow.getHandle(workflowId);
  const description = await orTemporalUnavailable(handle.describe());
  if (description.status.name !== 'RUNNING') return null;
  return orTemporalUnavailable(handle.query(progressQuery));
}

/** Backs `InventoryClient.waitForSync`. */
export async function waitForSync(
  deps: InventoryClientDeps,
  workflowId: string,
  options: { onProgress?: (progress: SyncProgress) => void; pollMs?: number },
): Promise<InventorySyncResult> {
  const handle: WorkflowHandle<typeof inventorySync> = deps.temporal.workflow.getHandle(workflowId);
  let done = false;
  const poller = options.onProgress
    ? (async () => {
        while (!done) {
          try {
            options.onProgress?.(await handle.query(progressQuery));
          } catch {
            // Between continue-as-new executions or after completion a query can fail; the
            // next poll or the result settles it.
          }
          await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
        }
      })()
    : Promise.resolve();
  try {
    return await orTemporalUnavailable(handle.result());
  } catch (error) {
    throw syncFailure(workflowId, error);
  } finally {
    done = true;
    await poller;
  }
}

/** A failed sync workflow as SyncFailedError with the failure's stable code; other errors unchanged. */
function syncFailure(workflowId: string, error: unknown): unknown {
  if (!(error instanceof WorkflowFailedError)) return error;
  let cause: unknown = error.cause;
  while (cause instanceof Error && !(cause instanceof ApplicationFailure) && cause.cause) cause = cause.cause;
  if (cause instanceof ApplicationFailure && cause.type && isErrorCode(cause.type)) {
    return new SyncFailedError(cause.type, cause.message, workflowId);
  }
  if (cause instanceof CancelledFailure) {
    return new SyncFailedError(
      'run_cancelled',
      `sync workflow ${boundedEcho(workflowId)} was cancelled`,
      workflowId,
    );
  }
  const reason = error.cause?.message ?? error.message;
  return new SyncFailedError(
    'internal_error',
    `sync workflow ${boundedEcho(workflowId)} failed: ${reason}`,
    workflowId,
  );
}
