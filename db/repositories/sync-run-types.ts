/**
 * How each policy type of a finished run ended (`inventory_sync_run_types`): written once, by
 * finalizeRun in the run row's transaction, and read per run. Runs in the caller's `withTenant`
 * transaction (db/tenant-scope.ts), so row-level security admits that tenant's rows only.
 */
import { type EntityManager } from 'typeorm';
import { boundedEchoList } from '../../inventory/bounded-echo';
import { InventoryError, isErrorCode, type ErrorCode } from '../../inventory/error-codes';
import { isPolicyType, type PolicyType } from '../../inventory/policy-types';
import { parseTenantId } from '../../inventory/tenant-id';
import { parseWholeNumber } from '../../inventory/whole-number';
import { type TenantManager } from '../tenant-scope';
import { queryRows } from '../sql';
import { parseUuid } from '../uuid';
import { type DbRow } from '../table';
import { SYNC_RUN_TYPES, TYPE_OUTCOMES, type SyncRunType, type TypeOutcome } from './sync-run-type-row';

export type { SyncRunType, TypeOutcome } from './sync-run-type-row';

/**
 * How one policy type of the run ended, as finalizeRun stores it (`inventory_sync_run_types`);
 * `finishedAt` is an ISO 8601 time (the workflow's clock), null when no request was made.
 */
export interface RunTypeOutcome {
  policyType: PolicyType;
  outcome: TypeOutcome;
  /** Null exactly when `outcome` is `complete`. */
  errorCode: ErrorCode | null;
  pagesCount: number;
  itemsObservedCount: number;
  itemsNewCount: number;
  itemsChangedCount: number;
  itemsUnchangedCount: number;
  finishedAt: string | null;
}

/** The range of an `integer` count column. */
const COUNT_RANGE = { min: 0, max: 2_147_483_647 };

/** The per-type rows of a finalize, checked; `invalid_input` names the first thing wrong. */
export function parseRunTypeOutcomes(types: readonly RunTypeOutcome[]): RunTypeOutcome[] {
  return types.map((t) => {
    if (!isPolicyType(t.policyType)) {
      throw new InventoryError('invalid_input', `unknown policy type(s) ${boundedEchoList([t.policyType])}`);
    }
    if (!TYPE_OUTCOMES.includes(t.outcome)) {
      throw new InventoryError('invalid_input', `a type outcome is one of ${TYPE_OUTCOMES.join(', ')}`);
    }
    if (t.errorCode !== null && !isErrorCode(t.errorCode)) {
      throw new InventoryError('invalid_input', `unknown error code(s) ${boundedEchoList([t.errorCode])}`);
    }
    const errorCode: ErrorCode | null = t.errorCode;
    if ((t.outcome === 'complete') !== (errorCode === null)) {
      throw new InventoryError('invalid_input', 'a type outcome has an error code unless it is complete');
    }
    if (t.finishedAt !== null && Number.isNaN(Date.parse(t.finishedAt))) {
      throw new InventoryError('invalid_input', 'finishedAt must be an ISO 8601 time or null');
    }
    return {
      policyType: t.policyType,
      outcome: t.outcome,
      errorCode,
      pagesCount: parseWholeNumber('pagesCount', t.pagesCount, COUNT_RANGE),
      itemsObservedCount: parseWholeNumber('itemsObservedCount', t.itemsObservedCount, COUNT_RANGE),
      itemsNewCount: parseWholeNumber('itemsNewCount', t.itemsNewCount, COUNT_RANGE),
      itemsChangedCount: parseWholeNumber('itemsChangedCount', t.itemsChangedCount, COUNT_RANGE),
      itemsUnchangedCount: parseWholeNumber('itemsUnchangedCount', t.itemsUnchangedCount, COUNT_RANGE),
      finishedAt: t.finishedAt,
    };
  });
}

/** Stores the per-type rows of a run that was just finalized: one statement for all of them. */
export async function insertRunTypes(
  manager: EntityManager,
  tenantId: string,
  runId: string,
  types: readonly RunTypeOutcome[],
): Promise<void> {
  if (types.length === 0) return;
  await manager.query(
    `INSERT INTO inventory_sync_run_types (tenant_id, run_id, policy_type, outcome, error_code, pages_count,
       items_observed_count, items_new_count, items_changed_count, items_unchanged_count, finished_at)
     SELECT $1::uuid, $2::uuid, t.*
     FROM unnest($3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::int[], $9::int[], $10::int[],
                 $11::timestamptz[]) AS t
     ON CONFLICT (run_id, policy_type) DO NOTHING`,
    [
      tenantId,
      runId,
      types.map((t) => t.policyType),
      types.map((t) => t.outcome),
      types.map((t) => t.errorCode),
      types.map((t) => t.pagesCount),
      types.map((t) => t.itemsObservedCount),
      types.map((t) => t.itemsNewCount),
      types.map((t) => t.itemsChangedCount),
      types.map((t) => t.itemsUnchangedCount),
      types.map((t) => t.finishedAt),
    ],
  );
}

/** How each policy type of the run ended, by policy type; empty for a run without per-type rows. */
export async function listRunTypes(
  manager: TenantManager,
  tenantId: string,
  runId: string,
): Promise<SyncRunType[]> {
  const rows = await queryRows<DbRow>(
    manager,
    `SELECT ${SYNC_RUN_TYPES.columnList} FROM inventory_sync_run_types
     WHERE tenant_id = $1 AND run_id = $2 ORDER BY policy_type`,
    [parseTenantId(tenantId), parseUuid(runId, 'run id')],
  );
  return rows.map(SYNC_RUN_TYPES.fromDb);
}
