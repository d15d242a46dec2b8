/**
 * The run log: starting a run (tenant checks, concurrency limits, the database's live-run lock),
 * recording skipped runs, finalizing, marking abandoned runs, and reading history. Functions on
 * tenant rows run in the caller's `withTenant` transaction (db/tenant-scope.ts); the only
 * cross-tenant read is `inventory_live_runs()`, which returns live runs' bookkeeping columns and
 * nothing else.
 */
import { type EntityManager } from 'typeorm';
import { boundErrorContext } from '../../inventory/redact';
import { boundedEchoList } from '../../inventory/bounded-echo';
import { InventoryError, isErrorCode, type ErrorCode } from '../../inventory/error-codes';
import { canonicalSelectionJson, type Selection } from '../../inventory/selection';
import { selectionHash as hashOf } from '../../inventory/selection-hash';
import { parseTenantId } from '../../inventory/tenant-id';
import { type TenantManager } from '../tenant-scope';
import { queryRows } from '../sql';
import { parseUuid } from '../uuid';
import { cursorTimestampSql, decodeCursor, encodeCursor, parsePageLimit } from '../pagination';
import { column, defineTable, type DbRow, type RowOf } from '../table';
import {
  LIVE_STATUSES_SQL,
  SYNC_RUNS,
  type CompletedRunStatus,
  type LiveRunStatus,
  type SyncRun,
} from './sync-run-row';
import { insertRunTypes, parseRunTypeOutcomes, type RunTypeOutcome } from './sync-run-types';

export type { SyncRun, SyncRunStatus, CompletedRunStatus, LiveRunStatus } from './sync-run-row';
export type { RunTypeOutcome } from './sync-run-types';

export type StartRunResult =
  | { outcome: 'started'; run: SyncRun }
  | { outcome: 'resumed'; run: SyncRun }
  | { outcome: 'tenant_unknown' }
  | { outcome: 'tenant_disabled' }
  | { outcome: 'lock_held'; heldBy: { runId: string; correlationId: string | null } }
  | { outcome: 'concurrency_limit_global' | 'concurrency_limit_tenant'; running: number; limit: number };

export interface RunIdentity {
  tenantId: string;
  selection: Selection;
  /** Must equal selectionHash(selection). */
  selectionHash: string;
  /** `<workflowId>/<firstExecutionRunId>`: the same value finds the same row again. */
  correlationId: string;
}

export interface StartRunInput extends RunIdentity {
  limits: { global: number; perTenant: number };
}

export interface SkippedRunInput extends RunIdentity {
  code: ErrorCode;
  context?: Record<string, unknown>;
}

export interface FinalizeRunResult {
  status: CompletedRunStatus;
  hadErrors: boolean;
  itemsObservedCount: number;
  itemsUpsertedCount: number;
  /**
   * Of the upserted items, new, changed and unchanged ones; absent (0) from a finalize a workflow
   * scheduled before per-type outcomes existed.
   */
  itemsNewCount?: number;
  itemsChangedCount?: number;
  itemsUnchangedCount?: number;
  /** One per policy type of the run's scope; absent: none are stored (as for runs before them). */
  types?: RunTypeOutcome[];
  errorsCount: number;
  errorCodes: ErrorCode[];
  /** Codes of what went wrong without costing the run anything (graph_select_rejected); absent: none. */
  warningCodes?: ErrorCode[];
  errorContext?: Record<string, unknown>;
}

/**
 * What `inventory_live_runs()` returns: the bookkeeping columns of live runs of every tenant, and
 * nothing else (its declaration in migration 1795478400004 is the security boundary).
 */
const LIVE_RUNS = defineTable('inventory_live_runs()', {
  id: column<string>('id'),
  tenantId: column<string>('tenant_id'),
  selectionHash: column<string>('selection_hash'),
  status: column<LiveRunStatus>('status'),
  correlationId: column<string | null>('correlation_id'),
  startedAt: column<Date>('started_at'),
  createdAt: column<Date>('created_at'),
});

export type LiveRun = RowOf<typeof LIVE_RUNS>;

/**
 * One cluster-wide key ("invsync1") serialises "count live runs, then insert" across all workers;
 * the transaction-scoped lock is released by the commit that makes the new run visible.
 */
export const START_RUN_LOCK_KEY = '7597139859751199537';
const MAX_CORRELATION_ID = 512;
const RUNS_CURSOR = 'runs';
const COMPLETED_STATUSES = new Set<string>(['success', 'partial', 'failed']);

function parseIdentity(input: RunIdentity): RunIdentity {
  if (!/^[0-9a-f]{64}$/.test(input.selectionHash) || input.selectionHash !== hashOf(input.selection)) {
    throw new InventoryError(
      'invalid_input',
      'selectionHash must be the selection hash of the given selection',
    );
  }
  const correlationId = input.correlationId;
  if (
    typeof correlationId !== 'string' ||
    correlationId.length === 0 ||
    correlationId.length > MAX_CORRELATION_ID
  ) {
    throw new InventoryError('invalid_input', `correlationId must be 1 to ${MAX_CORRELATION_ID} characters`);
  }
  return { ...input, tenantId: parseTenantId(input.tenantId) };
}

function parseCount(value: number, name: string, minimum: number): number {
  if (!Number.isInteger(value) || value < minimum) {
    throw new InventoryError('invalid_input', `${name} must be a whole number of at least ${minimum}`);
  }
  return value;
}

function parseErrorCodes(codes: readonly string[]): ErrorCode[] {
  const unknown = codes.filter((code) => !isErrorCode(code));
  if (unknown.length > 0)
    throw new InventoryError('invalid_input', `unknown error code(s) ${boundedEchoList(unknown)}`);
  return [...new Set(codes as ErrorCode[])].sort();
}

function contextJson(context: Record<string, unknown> | undefined): string | null {
  return context === undefined ? null : JSON.stringify(boundErrorContext(context));
}

async function findByCorrelation(manager: EntityManager, tenantId: string, correlationId: string) {
  const [row] = await queryRows<DbRow>(
    manager,
    `SELECT ${SYNC_RUNS.columnList} FROM inventory_sync_runs WHERE tenant_id = $1 AND correlation_id = $2`,
    [tenantId, correlationId],
  );
  return row ? SYNC_RUNS.fromDb(row) : null;
}

async function findLiveHolder(manager: EntityManager, tenantId: string, hash: string) {
  const [row] = await queryRows<{ id: string; correlation_id: string | null }>(
    manager,
    `SELECT id, correlation_id FROM inventory_sync_runs
     WHERE tenant_id = $1 AND selection_hash = $2 AND status IN ${LIVE_STATUSES_SQL}`,
    [tenantId, hash],
  );
  return row ? { runId: row.id, correlationId: row.correlation_id } : null;
}

async function tenantEnabled(manager: EntityManager, tenantId: string): Promise<boolean | null> {
  const [row] = await queryRows<{ enabled: boolean }>(manager, `SELECT enabled FROM tenants WHERE id = $1`, [
    tenantId,
  ]);
  return row ? row.enabled : null;
}

/**
 * Checks after an insert that wrote nothing: it met a unique index (a live run of this selection
 * or this correlation id) inserted by someone who did not take the start lock.
 */
async function explainConflict(
  manager: EntityManager,
  input: RunIdentity,
): Promise<Extract<StartRunResult, { outcome: 'resumed' | 'lock_held' }>> {
  const existing = await findByCorrelation(manager, input.tenantId, input.correlationId);
  if (existing) return { outcome: 'resumed', run: existing };
  const holder = await findLiveHolder(manager, input.tenantId, input.selectionHash);
  if (holder) return { outcome: 'lock_held', heldBy: holder };
  throw new InventoryError(
    'invalid_input',
    `correlation id ${input.correlationId} already belongs to another run`,
  );
}

/**
 * Starts a run atomically: under one advisory lock, held until the caller's transaction ends, it
 * resumes the run of this correlation id, refuses unknown and disabled tenants, a live run of the
 * same selection and full concurrency slots, and otherwise inserts a `running` row started when
 * the slot was granted (the database clock). The lock serialises every start in the cluster, so
 * give it a transaction of its own. A run that will wait for a slot is registered as a slot waiter
 * in that same transaction, under this lock (slot-waiters.ts), which the slot handoff also takes.
 * Throws `invalid_input` for a malformed input.
 */
export async function startRun(manager: TenantManager, input: StartRunInput): Promise<StartRunResult> {
  const identity = parseIdentity(input);
  const globalLimit = parseCount(input.limits.global, 'limits.global', 1);
  const tenantLimit = parseCount(input.limits.perTenant, 'limits.perTenant', 1);
  const { tenantId } = identity;
  await manager.query(`SELECT pg_advisory_xact_lock(${START_RUN_LOCK_KEY})`);
  const existing = await findByCorrelation(manager, tenantId, identity.correlationId);
  if (existing) return { outcome: 'resumed', run: existing };

  const enabled = await tenantEnabled(manager, tenantId);
  if (enabled === null) return { outcome: 'tenant_unknown' };
  if (!enabled) return { outcome: 'tenant_disabled' };

  const holder = await findLiveHolder(manager, tenantId, identity.selectionHash);
  if (holder) return { outcome: 'lock_held', heldBy: holder };

  const [live] = await queryRows<{ global: number; tenant: number }>(
    manager,
    `SELECT count(*)::int AS global, count(*) FILTER (WHERE tenant_id = $1)::int AS tenant FROM inventory_live_runs()`,
    [tenantId],
  );
  if (live!.global >= globalLimit) {
    return { outcome: 'concurrency_limit_global', running: live!.global, limit: globalLimit };
  }
  if (live!.tenant >= tenantLimit) {
    return { outcome: 'concurrency_limit_tenant', running: live!.tenant, limit: tenantLimit };
  }

  // DO NOTHING instead of an exception: a start that bypassed the lock surfaces as lock_held.
  // started_at is the moment the slot was granted (clock_timestamp(), under the lock), not the
  // transaction's start (now()), which can precede a long wait for the lock: with now(), a run
  // could appear to start before the run whose slot it took had finished.
  const [row] = await queryRows<DbRow>(
    manager,
    `INSERT INTO inventory_sync_runs (tenant_id, selection_hash, selection_payload, status, correlation_id, started_at)
     VALUES ($1, $2, $3::jsonb, 'running', $4, clock_timestamp())
     ON CONFLICT DO NOTHING
     RETURNING ${SYNC_RUNS.columnList}`,
    [tenantId, identity.selectionHash, canonicalSelectionJson(identity.selection), identity.correlationId],
  );
  return row ? { outcome: 'started', run: SYNC_RUNS.fromDb(row) } : explainConflict(manager, identity);
}

/**
 * Records a run that never enumerated (tenant disabled, lock held, no free slot): status
 * `skipped`, the reason as its only error code. Returns the existing row for a known correlation
 * id. Throws `tenant_unknown` for an unregistered tenant, whose runs cannot be stored.
 */
export async function recordSkippedRun(manager: TenantManager, input: SkippedRunInput): Promise<SyncRun> {
  const identity = parseIdentity(input);
  const [code] = parseErrorCodes([input.code]);
  const { tenantId } = identity;
  const existing = await findByCorrelation(manager, tenantId, identity.correlationId);
  if (existing) return existing;
  if ((await tenantEnabled(manager, tenantId)) === null) {
    throw new InventoryError('tenant_unknown', `tenant ${tenantId} is not registered`);
  }
  const [row] = await queryRows<DbRow>(
    manager,
    `INSERT INTO inventory_sync_runs (tenant_id, selection_hash, selection_payload, status, had_errors,
       started_at, finished_at, errors_count, error_codes, error_context, correlation_id)
     VALUES ($1, $2, $3::jsonb, 'skipped', true, now(), now(), 1, ARRAY[$4]::text[], $5::jsonb, $6)
     ON CONFLICT (correlation_id) WHERE correlation_id IS NOT NULL DO NOTHING
     RETURNING ${SYNC_RUNS.columnList}`,
    [
      tenantId,
      identity.selectionHash,
      canonicalSelectionJson(identity.selection),
      code,
      contextJson(input.context),
      identity.correlationId,
    ],
  );
  if (row) return SYNC_RUNS.fromDb(row);
  const raced = await findByCorrelation(manager, tenantId, identity.correlationId);
  if (raced) return raced;
  throw new InventoryError(
    'invalid_input',
    `correlation id ${identity.correlationId} already belongs to another run`,
  );
}

/**
 * Moves a live run to its final status with its counts; `finished_at` is the database's now().
 * In the same transaction it stores `result.types`, one row per policy type, in one statement.
 * Only the execution chain that owns the row (`correlationId`) may finalize it: another chain's
 * attempt is `invalid_input` and changes nothing. A run that is already final is returned
 * unchanged (its per-type rows too), so a retried finalize is harmless.
 */
export async function finalizeRun(
  manager: TenantManager,
  tenantId: string,
  runId: string,
  correlationId: string,
  result: FinalizeRunResult,
): Promise<SyncRun> {
  const tenant = parseTenantId(tenantId);
  const id = parseUuid(runId, 'run id');
  if (!COMPLETED_STATUSES.has(result.status)) {
    throw new InventoryError('invalid_input', 'a run is finalized as success, partial or failed');
  }
  const types = parseRunTypeOutcomes(result.types ?? []);
  const params = [
    result.status,
    result.hadErrors === true,
    parseCount(result.itemsObservedCount, 'itemsObservedCount', 0),
    parseCount(result.itemsUpsertedCount, 'itemsUpsertedCount', 0),
    parseCount(result.errorsCount, 'errorsCount', 0),
    parseErrorCodes(result.errorCodes),
    contextJson(result.errorContext),
    parseErrorCodes(result.warningCodes ?? []),
    parseCount(result.itemsNewCount ?? 0, 'itemsNewCount', 0),
    parseCount(result.itemsChangedCount ?? 0, 'itemsChangedCount', 0),
    parseCount(result.itemsUnchangedCount ?? 0, 'itemsUnchangedCount', 0),
  ];
  const [row] = await queryRows<DbRow>(
    manager,
    `UPDATE inventory_sync_runs
     SET status = $3, had_errors = $4, items_observed_count = $5, items_upserted_count = $6,
         errors_count = $7, error_codes = $8::text[], error_context = $9::jsonb,
         warning_codes = $10::text[], items_new_count = $11, items_changed_count = $12,
         items_unchanged_count = $13, finished_at = now()
     WHERE tenant_id = $1 AND id = $2 AND status IN ${LIVE_STATUSES_SQL} AND correlation_id = $14
     RETURNING ${SYNC_RUNS.columnList}`,
    [tenant, id, ...params, correlationId],
  );
  if (row) {
    await insertRunTypes(manager, tenant, id, types);
    return SYNC_RUNS.fromDb(row);
  }
  const current = await selectRun(manager, tenant, id);
  if (!current) throw new InventoryError('run_not_found', `run ${id} does not exist for tenant ${tenant}`);
  if (current.correlationId !== correlationId) {
    throw new InventoryError('invalid_input', `run ${id} belongs to another workflow execution chain`);
  }
  return current;
}

/**
 * Closes live runs whose workflow ended without finalizing them: status `failed`, code
 * `run_abandoned` added, `had_errors` set. One statement; returns how many rows it changed
 * (runs already final are left alone).
 */
export async function markRunsAbandoned(
  manager: TenantManager,
  tenantId: string,
  runIds: string[],
): Promise<number> {
  const tenant = parseTenantId(tenantId);
  const ids = runIds.map((runId) => parseUuid(runId, 'run id'));
  if (ids.length === 0) return 0;
  const rows = await queryRows<{ id: string }>(
    manager,
    `UPDATE inventory_sync_runs
     SET status = 'failed', had_errors = true, finished_at = now(),
         error_codes = ARRAY(SELECT DISTINCT code FROM unnest(error_codes || 'run_abandoned'::text) AS code ORDER BY code)
     WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND status IN ${LIVE_STATUSES_SQL}
     RETURNING id`,
    [tenant, ids],
  );
  return rows.length;
}

/**
 * Live runs of every tenant (for limits and the reaper), oldest first. Needs no tenant scope:
 * pass `ds.manager` or any transaction's manager.
 */
export async function listLiveRuns(manager: EntityManager): Promise<LiveRun[]> {
  const rows = await queryRows<DbRow>(
    manager,
    `SELECT ${LIVE_RUNS.columnList} FROM inventory_live_runs() ORDER BY created_at, id`,
  );
  return rows.map(LIVE_RUNS.fromDb);
}

async function selectRun(manager: EntityManager, tenantId: string, runId: string): Promise<SyncRun | null> {
  const [row] = await queryRows<DbRow>(
    manager,
    `SELECT ${SYNC_RUNS.columnList} FROM inventory_sync_runs WHERE tenant_id = $1 AND id = $2`,
    [tenantId, runId],
  );
  return row ? SYNC_RUNS.fromDb(row) : null;
}

/** The run, or null when the tenant has no run of that id. Throws `invalid_input` for malformed ids. */
export async function getRun(
  manager: TenantManager,
  tenantId: string,
  runId: string,
): Promise<SyncRun | null> {
  return selectRun(manager, parseTenantId(tenantId), parseUuid(runId, 'run id'));
}

/** A tenant's runs, newest first, optionally of one selection; `before` is the previous page's nextCursor. */
export async function listRuns(
  manager: TenantManager,
  tenantId: string,
  options: { limit: number; selectionHash?: string; before?: string },
): Promise<{ runs: SyncRun[]; nextCursor: string | null }> {
  const tenant = parseTenantId(tenantId);
  const limit = parsePageLimit(options.limit);
  if (options.selectionHash !== undefined && !/^[0-9a-f]{64}$/.test(options.selectionHash)) {
    throw new InventoryError('invalid_input', 'selectionHash must be 64 lowercase hex characters');
  }
  const params: unknown[] = [tenant];
  const conditions = ['tenant_id = $1'];
  if (options.selectionHash !== undefined) {
    params.push(options.selectionHash);
    conditions.push(`selection_hash = $${params.length}`);
  }
  if (options.before !== undefined) {
    const [createdAt, id] = decodeCursor(RUNS_CURSOR, options.before, ['timestamp', 'uuid']);
    params.push(createdAt, id);
    conditions.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  params.push(limit + 1);
  const rows = await queryRows<DbRow & { cursor_created_at: string }>(
    manager,
    `SELECT ${SYNC_RUNS.columnList}, ${cursorTimestampSql('created_at')} AS cursor_created_at
     FROM inventory_sync_runs
     WHERE ${conditions.join(' AND ')}
     ORDER BY created_at DESC, id DESC
     LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    runs: page.map(SYNC_RUNS.fromDb),
    nextCursor:
      rows.length > limit && last
        ? encodeCursor(RUNS_CURSOR, [last.cursor_created_at, SYNC_RUNS.fromDb(last).id])
        : null,
  };
}
