/**
 * The contract between the sync workflows and everyone who starts, queries or awaits them (the
 * thin client, the CLI, the Temporal CLI and UI, the worker's slot handoff): inputs, results, the
 * progress query and the slot signal. One module imported by both sides, so a query or signal is
 * never matched by a string typed twice.
 *
 * Inputs arrive from anyone who can start a workflow, so the workflows parse them with
 * workflows/sync-input.ts before any use; these types describe the accepted shapes.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ErrorCode } from '../inventory/error-codes';
import type { PolicyType } from '../inventory/policy-types';
import type { TypeProgress, TypeProgressMap } from './type-progress';

/** A selection as callers write it; the workflow canonicalises it (inventory/selection.ts). */
export interface SelectionInput {
  policy_types?: readonly string[];
  categories?: readonly string[];
}

/** What `inventorySync` is started with. */
export interface InventorySyncInput {
  /** Entra tenant id (GUID, any case; canonicalised to lower case). */
  tenantId: string;
  selection: SelectionInput;
  /**
   * Set only by the workflow itself when it continues as new: the run it is enumerating and
   * each type's progress. Accepted only in a continued execution whose run row belongs to this
   * workflow chain, tenant and selection and is still live; a start carrying it fails with
   * `invalid_input`.
   */
  resume?: SyncResume;
}

export interface SyncResume {
  runId: string;
  types: TypeProgressMap;
}

/** How a sync ended: the run row's final status and counts (names as in `inventory_sync_runs`). */
export interface InventorySyncResult {
  runId: string;
  selectionHash: string;
  status: 'success' | 'partial' | 'failed' | 'skipped';
  itemsObservedCount: number;
  itemsUpsertedCount: number;
  /**
   * Of the upserted items: new, changed and unchanged ones (0 for a skipped run). The result of an
   * execution that finished before they were counted has none.
   */
  itemsNewCount: number;
  itemsChangedCount: number;
  itemsUnchangedCount: number;
  hadErrors: boolean;
  errorCodes: ErrorCode[];
}

/** One policy type's progress as the `progress` query reports it. */
export interface TypeProgressView {
  state: TypeProgress['state'];
  pagesCount: number;
  itemsObservedCount: number;
  itemsInvalidCount: number;
  code?: ErrorCode;
}

/** The answer to the `progress` query: live state of one sync execution chain. */
export interface SyncProgress {
  phase: 'starting' | 'waiting_for_slot' | 'enumerating' | 'finalizing' | 'done';
  runId: string | null;
  types: Partial<Record<PolicyType, TypeProgressView>>;
  totals: { pagesCount: number; itemsObservedCount: number; itemsInvalidCount: number };
}

/** `progress`: answered by every running `inventorySync` execution. */
export const progressQuery = defineQuery<SyncProgress>('progress');

/**
 * `slotFreed`, no arguments: sent by the worker (activities/slot-handoff.ts) to a sync waiting for a
 * concurrency slot when one was freed for it; the sync then tries to begin again at once instead of
 * at its fallback poll. Only a hint: beginning still counts the slots, and a signal that arrives
 * while the sync is not waiting changes nothing.
 */
export const slotFreedSignal = defineSignal('slotFreed');

/** What a sync schedule's action starts `scheduledInventorySync` with. */
export interface ScheduledSyncInput {
  tenantId: string;
  selection: SelectionInput;
  /** The selection's hash (64 lowercase hex), naming the sync's workflow ID. */
  selectionHash: string;
}

export type ScheduledSyncResult =
  | { outcome: 'completed'; workflowId: string; result: InventorySyncResult }
  | { outcome: 'already_running'; workflowId: string };
