/** The `inventory_sync_runs` table as TypeScript sees it: its columns, its row, its status groups. */
import { type ErrorCode } from '../../inventory/error-codes';
import { type Selection } from '../../inventory/selection';
import { column, defineTable, type RowOf } from '../table';

export type SyncRunStatus = 'pending' | 'running' | 'success' | 'partial' | 'failed' | 'skipped';
export type LiveRunStatus = Extract<SyncRunStatus, 'pending' | 'running'>;
/** Statuses of a run that enumerated and ended: only these can be the basis of "missing". */
export type CompletedRunStatus = Extract<SyncRunStatus, 'success' | 'partial' | 'failed'>;

/** SQL list literals for the status groups, for `status IN …` (matching the partial indexes). */
export const LIVE_STATUSES_SQL = `('pending', 'running')`;
export const COMPLETED_STATUSES_SQL = `('success', 'partial', 'failed')`;

export const SYNC_RUNS = defineTable('inventory_sync_runs', {
  id: column<string>('id'),
  tenantId: column<string>('tenant_id'),
  selectionHash: column<string>('selection_hash'),
  selectionPayload: column<Selection>('selection_payload'),
  status: column<SyncRunStatus>('status'),
  hadErrors: column<boolean>('had_errors'),
  /** Database clock. For a `pending` run (never created by this layer) the time it was queued. */
  startedAt: column<Date>('started_at'),
  finishedAt: column<Date | null>('finished_at'),
  itemsObservedCount: column<number>('items_observed_count'),
  itemsUpsertedCount: column<number>('items_upserted_count'),
  /** Of the upserted items: stored for the first time by this run (0 for runs before migration 7). */
  itemsNewCount: column<number>('items_new_count'),
  /** Of the upserted items: stored before, with name, platform, category or metadata changed. */
  itemsChangedCount: column<number>('items_changed_count'),
  /** Of the upserted items: stored before and observed again as they were. */
  itemsUnchangedCount: column<number>('items_unchanged_count'),
  errorsCount: column<number>('errors_count'),
  /** De-duplicated, sorted. */
  errorCodes: column<ErrorCode[]>('error_codes'),
  /**
   * De-duplicated, sorted: what went wrong without failing anything (e.g. graph_select_rejected);
   * never sets `hadErrors`.
   */
  warningCodes: column<ErrorCode[]>('warning_codes'),
  /** Bounded and redacted (boundErrorContext); null when none was given. */
  errorContext: column<Record<string, unknown> | null>('error_context'),
  correlationId: column<string | null>('correlation_id'),
  createdAt: column<Date>('created_at'),
});

export type SyncRun = RowOf<typeof SYNC_RUNS>;
