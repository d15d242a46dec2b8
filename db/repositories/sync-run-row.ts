/** The `inventory_sync_runs` row as TypeScript sees it, and the SQL that selects it. */
import { type ErrorCode } from '../../inventory/error-codes';
import { type Selection } from '../../inventory/selection';

export type SyncRunStatus = 'pending' | 'running' | 'success' | 'partial' | 'failed' | 'skipped';
export type LiveRunStatus = Extract<SyncRunStatus, 'pending' | 'running'>;
/** Statuses of a run that enumerated and ended: only these can be the basis of "missing". */
export type CompletedRunStatus = Extract<SyncRunStatus, 'success' | 'partial' | 'failed'>;

/** SQL list literals for the status groups, for `status IN …` (matching the partial indexes). */
export const LIVE_STATUSES_SQL = `('pending', 'running')`;
export const COMPLETED_STATUSES_SQL = `('success', 'partial', 'failed')`;

export interface SyncRun {
  id: string;
  tenantId: string;
  selectionHash: string;
  selectionPayload: Selection;
  status: SyncRunStatus;
  hadErrors: boolean;
  /** Database clock. For a `pending` run (never created by this layer) the time it was queued. */
  startedAt: Date;
  finishedAt: Date | null;
  itemsObservedCount: number;
  itemsUpsertedCount: number;
  errorsCount: number;
  /** De-duplicated, sorted. */
  errorCodes: ErrorCode[];
  /** Bounded and redacted (boundErrorContext); null when none was given. */
  errorContext: Record<string, unknown> | null;
  correlationId: string | null;
  createdAt: Date;
}

export interface SyncRunDbRow {
  id: string;
  tenant_id: string;
  selection_hash: string;
  selection_payload: Selection;
  status: SyncRunStatus;
  had_errors: boolean;
  started_at: Date;
  finished_at: Date | null;
  items_observed_count: number;
  items_upserted_count: number;
  errors_count: number;
  error_codes: ErrorCode[];
  error_context: Record<string, unknown> | null;
  correlation_id: string | null;
  created_at: Date;
}

export const SYNC_RUN_COLUMNS = `id, tenant_id, selection_hash, selection_payload, status, had_errors, started_at,
  finished_at, items_observed_count, items_upserted_count, errors_count, error_codes, error_context,
  correlation_id, created_at`;

export function toSyncRun(row: SyncRunDbRow): SyncRun {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    selectionHash: row.selection_hash,
    selectionPayload: row.selection_payload,
    status: row.status,
    hadErrors: row.had_errors,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    itemsObservedCount: row.items_observed_count,
    itemsUpsertedCount: row.items_upserted_count,
    errorsCount: row.errors_count,
    errorCodes: row.error_codes,
    errorContext: row.error_context,
    correlationId: row.correlation_id,
    createdAt: row.created_at,
  };
}
