/**
 * Starting and following syncs: a sync is started through Temporal under the derived workflow ID
 * (so a second start joins the running one), and followed through its progress query and result.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
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
import { orDbError } from '../db/errors';
import { requireTenant } from './tenants';
import { objectArgument, optionsArgument, temporalIdArgument } from './arguments';
import { type InventoryClientDeps } from './client-deps';
import { InvalidInputError, SyncFailedError, SyncNotFoundError, TenantDisabledError } from './errors';
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
  const fields = objectArgument(input, 'startSync input');
  const tenantId = parseTenantId(fields.tenantId);
  const selection = parseSelection(fields.selection);
  const hash = selectionHash(selection);
  const tenant = await orDbError('cannot read the tenant', requireTenant(deps.db.manager, tenantId));
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

/** Progress polls: often enough to look live, rarely enough not to load the server; a timer holds it. */
const POLL_MS = { default: 500, min: 10, max: 60_000 } as const;

/** Awaits a call on workflow `workflowId`; Temporal's not-found becomes `sync_not_found`. */
async function orSyncNotFound<T>(workflowId: string, work: Promise<T>): Promise<T> {
  try {
    return await orTemporalUnavailable(work);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new SyncNotFoundError(workflowId);
    throw error;
  }
}

/**
 * The handle of sync workflow `workflowIdInput` once Temporal has described it, with whether it
 * is running: `invalid_input` for a malformed id, `sync_not_found` when no workflow has that id
 * or the workflow is not a sync (a schedule's trigger, the reaper), so neither is queried for a
 * progress it does not have.
 */
async function syncHandle(
  deps: InventoryClientDeps,
  workflowIdInput: unknown,
): Promise<{ handle: WorkflowHandle<typeof inventorySync>; running: boolean }> {
  const workflowId = temporalIdArgument(workflowIdInput, 'workflow id');
  const handle: WorkflowHandle<typeof inventorySync> = deps.temporal.workflow.getHandle(workflowId);
  const description = await orSyncNotFound(workflowId, handle.describe());
  if (description.type !== SYNC_WORKFLOW_TYPE) throw new SyncNotFoundError(workflowId, description.type);
  return { handle, running: description.status.name === 'RUNNING' };
}

/** Backs `InventoryClient.getProgress`. */
export async function getProgress(
  deps: InventoryClientDeps,
  workflowId: string,
): Promise<SyncProgress | null> {
  const { handle, running } = await syncHandle(deps, workflowId);
  if (!running) return null;
  return orSyncNotFound(handle.workflowId, handle.query(progressQuery));
}

/** `onProgress` and `pollMs` checked: a function or nothing, and a whole number of ms in POLL_MS. */
function parseWaitOptions(options: unknown): {
  onProgress: ((progress: SyncProgress) => void) | undefined;
  pollMs: number;
} {
  const { onProgress, pollMs = POLL_MS.default } = optionsArgument(options, 'waitForSync options');
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new InvalidInputError('onProgress must be a function');
  }
  if (
    typeof pollMs !== 'number' ||
    !Number.isInteger(pollMs) ||
    pollMs < POLL_MS.min ||
    pollMs > POLL_MS.max
  ) {
    throw new InvalidInputError(
      `pollMs must be a whole number of milliseconds from ${POLL_MS.min} to ${POLL_MS.max}`,
    );
  }
  return { onProgress: onProgress as ((progress: SyncProgress) => void) | undefined, pollMs };
}

/** Backs `InventoryClient.waitForSync`. */
export async function waitForSync(
  deps: InventoryClientDeps,
  workflowIdInput: string,
  options: { onProgress?: (progress: SyncProgress) => void; pollMs?: number },
): Promise<InventorySyncResult> {
  const { onProgress, pollMs } = parseWaitOptions(options);
  const { handle } = await syncHandle(deps, workflowIdInput);
  const workflowId = handle.workflowId;
  let done = false;
  const poller = onProgress
    ? (async () => {
        while (!done) {
          try {
            onProgress(await handle.query(progressQuery));
          } catch {
            // Between continue-as-new executions or after completion a query can fail; the
            // next poll or the result settles it.
          }
          await new Promise((resolve) => setTimeout(resolve, pollMs));
        }
      })()
    : Promise.resolve();
  try {
    return await orSyncNotFound(workflowId, handle.result());
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
    const id = boundedEcho(workflowId, { max: 80 });
    return new SyncFailedError('run_cancelled', `sync workflow ${id} was cancelled`, workflowId);
  }
  // A terminate or reset reason is whatever an operator typed: folded and cut like any echo.
  const reason = boundedEcho(error.cause?.message ?? error.message);
  const id = boundedEcho(workflowId, { max: 80 });
  return new SyncFailedError('internal_error', `sync workflow ${id} failed: ${reason}`, workflowId);
}
