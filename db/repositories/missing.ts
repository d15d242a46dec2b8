/**
 * "Missing" items, derived and never stored (nothing is ever marked deleted). The basis is the
 * latest completed run (success, partial or failed) of exactly this tenant and selection; an item
 * is missing when its policy type is in the selection's scope and it was last seen before the
 * basis started. A later run of any other selection that saw the item keeps it present, and runs
 * of other selections never make it missing here. Pages are keyset-ordered by (policy type,
 * last_seen_at, external id), the order of `inventory_items_missing_idx`, and a cursor pins its
 * basis run so one listing stays consistent even if a newer run completes meanwhile.
 *
 * Each item also says whether its own type was completely enumerated by the basis run
 * (`typeComplete`): only then does "not seen" mean Graph served the type in full without it. The
 * run-level `confidence` is unchanged by it.
 */
import { type EntityManager } from 'typeorm';
import { InventoryError, type ErrorCode } from '../../inventory/error-codes';
import { type PolicyType } from '../../inventory/policy-types';
import { selectionScope, type Selection } from '../../inventory/selection';
import { selectionHash } from '../../inventory/selection-hash';
import { parseTenantId } from '../../inventory/tenant-id';
import { type TenantManager } from '../tenant-scope';
import { queryRows } from '../sql';
import { cursorTimestampSql, decodeCursor, encodeCursor, parsePageLimit } from '../pagination';
import { type DbRow } from '../table';
import { COMPLETED_STATUSES_SQL, SYNC_RUNS, type CompletedRunStatus } from './sync-run-row';
import { INVENTORY_ITEMS, type InventoryItemRow } from './inventory-item-row';

export interface MissingBasis {
  runId: string;
  status: CompletedRunStatus;
  hadErrors: boolean;
  startedAt: Date;
  finishedAt: Date | null;
}

/** A missing item, and whether the basis run enumerated its policy type completely. */
export type MissingItem = InventoryItemRow & {
  /**
   * true: Graph served this item's type in full in the basis run, and not this item. false: the
   * type was not completely enumerated (failed, refused, cancelled, not attempted), so the item is
   * unverified: it may only not have been asked for.
   */
  typeComplete: boolean;
};

export type MissingResult =
  | { basis: null }
  | {
      basis: MissingBasis;
      /** `low` when the basis run did not fully succeed: an item may be missing only because its type failed. */
      confidence: 'high' | 'low';
      /** Policy types of the selection the basis run did not enumerate completely, sorted. */
      unverifiedTypes: PolicyType[];
      items: MissingItem[];
      /**
       * Missing items of `unverifiedTypes` this listing leaves out (in all its pages) because it was
       * asked for type-complete items only (`includeUnverified: false`); 0 otherwise.
       */
      omittedUnverifiedCount: number;
      nextCursor: string | null;
    };

const MISSING_CURSOR = 'missing';
/** The columns of a run that make it a basis, and what its per-type completeness is derived from. */
const BASIS_COLUMNS = SYNC_RUNS.pick(
  'id',
  'status',
  'hadErrors',
  'startedAt',
  'finishedAt',
  'errorCodes',
  'errorContext',
);

interface BasisRun extends MissingBasis {
  errorCodes: ErrorCode[];
  errorContext: Record<string, unknown> | null;
}

interface MissingCursor {
  basisRunId: string;
  policyType: string;
  lastSeenAt: string;
  externalId: string;
}

function parseMissingCursor(after: string): MissingCursor {
  const [basisRunId, policyType, lastSeenAt, externalId] = decodeCursor(MISSING_CURSOR, after, [
    'uuid',
    'policyType',
    'timestamp',
    'text',
  ]);
  return { basisRunId, policyType, lastSeenAt, externalId };
}

/** The cursor after `row` of a page statement: its sort key, `last_seen_at` as exact text. */
function encodeMissingCursor(basisRunId: string, row: DbRow & { cursor_last_seen_at: string }): string {
  const item = INVENTORY_ITEMS.fromDb(row);
  return encodeCursor(MISSING_CURSOR, [
    basisRunId,
    item.policyType,
    row.cursor_last_seen_at,
    item.externalId,
  ]);
}

async function findBasis(
  manager: EntityManager,
  tenantId: string,
  hash: string,
  pinnedRunId: string | null,
): Promise<BasisRun | null> {
  const [row] = await queryRows<DbRow>(
    manager,
    `SELECT ${BASIS_COLUMNS.columnList} FROM inventory_sync_runs
     WHERE tenant_id = $1 AND selection_hash = $2 AND status IN ${COMPLETED_STATUSES_SQL}
       AND ($3::uuid IS NULL OR id = $3::uuid)
     ORDER BY started_at DESC
     LIMIT 1`,
    [tenantId, hash, pinnedRunId],
  );
  if (!row) return null;
  const { id, status, ...rest } = BASIS_COLUMNS.fromDb(row);
  // The statement admits completed statuses only.
  return { runId: id, status: status as CompletedRunStatus, ...rest };
}

/**
 * The policy types of `scope` the basis run enumerated completely: those whose per-type row says
 * `complete`. A run finalized before per-type rows existed (or marked abandoned) has none; its
 * completeness is derived from what it recorded: a `success` run completed every type; a partial
 * or failed run completed every type its error context does not list as failed, unless it was
 * cancelled or abandoned (types cut short then were not listed) or its context was truncated (some
 * failed types were dropped), when no type counts as complete.
 */
async function completeTypes(
  manager: EntityManager,
  tenantId: string,
  basis: BasisRun,
  scope: readonly PolicyType[],
): Promise<PolicyType[]> {
  const rows = await queryRows<{ policy_type: PolicyType; outcome: string }>(
    manager,
    `SELECT policy_type, outcome FROM inventory_sync_run_types WHERE tenant_id = $1 AND run_id = $2`,
    [tenantId, basis.runId],
  );
  if (rows.length > 0) {
    const complete = new Set(rows.filter((row) => row.outcome === 'complete').map((row) => row.policy_type));
    return scope.filter((type) => complete.has(type));
  }
  if (basis.status === 'success') return [...scope];
  const context = basis.errorContext;
  const cutShort = basis.errorCodes.some((code) => code === 'run_cancelled' || code === 'run_abandoned');
  if (cutShort || context === null || context.truncated === true) return [];
  const failed = new Set(Object.keys((context.types as Record<string, unknown> | undefined) ?? {}));
  return scope.filter((type) => !failed.has(type));
}

/**
 * The statements' common condition: items of `$2` (policy types) of tenant `$1` last seen before
 * basis run `$3` started. The basis' `started_at` is read inside the statement rather than passed
 * in, because a JavaScript Date would drop its microseconds.
 */
const MISSING_CONDITION = `tenant_id = $1
            AND policy_type = ANY($2::text[])
            AND last_seen_at < (SELECT basis.started_at FROM inventory_sync_runs AS basis
                                WHERE basis.tenant_id = $1 AND basis.id = $3::uuid)`;

/**
 * The page query: missing items of `scope`, each with `type_complete` (its type is one of
 * `completeTypes`).
 */
export function missingItemsStatement(input: {
  tenantId: string;
  scope: readonly string[];
  completeTypes: readonly string[];
  basisRunId: string;
  after: Omit<MissingCursor, 'basisRunId'> | null;
  limit: number;
}): { sql: string; params: unknown[] } {
  const params: unknown[] = [input.tenantId, input.scope, input.basisRunId, input.completeTypes];
  let keyset = '';
  if (input.after) {
    params.push(input.after.policyType, input.after.lastSeenAt, input.after.externalId);
    keyset = `AND (policy_type, last_seen_at, external_id) > ($5, $6::timestamptz, $7)`;
  }
  params.push(input.limit);
  return {
    sql: `SELECT ${INVENTORY_ITEMS.columnList}, ${cursorTimestampSql('last_seen_at')} AS cursor_last_seen_at,
                 policy_type = ANY($4::text[]) AS type_complete
          FROM inventory_items
          WHERE ${MISSING_CONDITION}
            ${keyset}
          ORDER BY policy_type, last_seen_at, external_id
          LIMIT $${params.length}`,
    params,
  };
}

/** How many items of `types` are missing against the basis run (the same condition as the pages). */
async function countMissing(
  manager: EntityManager,
  tenantId: string,
  types: readonly PolicyType[],
  basisRunId: string,
): Promise<number> {
  if (types.length === 0) return 0;
  const [row] = await queryRows<{ n: number }>(
    manager,
    `SELECT count(*)::int AS n FROM inventory_items WHERE ${MISSING_CONDITION}`,
    [tenantId, types, basisRunId],
  );
  return row!.n;
}

/**
 * One page of the selection's missing items, with the basis run, the confidence and the types the
 * basis did not enumerate completely; `{ basis: null }` when no run of this selection has
 * completed. `after` is the previous page's nextCursor. With `includeUnverified: false` only items
 * of completely enumerated types are listed, and `omittedUnverifiedCount` says how many others
 * there are (default: all are listed). Throws `invalid_input` for a bad limit, a malformed cursor,
 * or one of another tenant or selection.
 */
export async function listMissing(
  manager: TenantManager,
  tenantId: string,
  selection: Selection,
  options: { limit: number; after?: string; includeUnverified?: boolean },
): Promise<MissingResult> {
  const tenant = parseTenantId(tenantId);
  const limit = parsePageLimit(options.limit);
  const cursor = options.after === undefined ? null : parseMissingCursor(options.after);
  const basis = await findBasis(manager, tenant, selectionHash(selection), cursor?.basisRunId ?? null);
  if (!basis) {
    if (cursor)
      throw new InventoryError('invalid_input', 'the cursor does not belong to this tenant and selection');
    return { basis: null };
  }
  const scope = selectionScope(selection);
  const complete = await completeTypes(manager, tenant, basis, scope);
  const unverifiedTypes = scope.filter((type) => !complete.includes(type)).sort();
  const includeUnverified = options.includeUnverified !== false;
  const statement = missingItemsStatement({
    tenantId: tenant,
    scope: includeUnverified ? scope : complete,
    completeTypes: complete,
    basisRunId: basis.runId,
    after: cursor,
    limit: limit + 1,
  });
  const rows = await queryRows<DbRow & { cursor_last_seen_at: string; type_complete: boolean }>(
    manager,
    statement.sql,
    statement.params,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const { errorCodes: _codes, errorContext: _context, ...basisShown } = basis;
  return {
    basis: basisShown,
    confidence: basis.status === 'success' && !basis.hadErrors ? 'high' : 'low',
    unverifiedTypes,
    items: page.map((row) => ({ ...INVENTORY_ITEMS.fromDb(row), typeComplete: row.type_complete })),
    omittedUnverifiedCount: includeUnverified
      ? 0
      : await countMissing(manager, tenant, unverifiedTypes, basis.runId),
    nextCursor: rows.length > limit && last ? encodeMissingCursor(basis.runId, last) : null,
  };
}
