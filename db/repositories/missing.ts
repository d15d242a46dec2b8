/**
 * "Missing" items, derived and never stored (nothing is ever marked deleted). The basis is the
 * latest completed run (success, partial or failed) of exactly this tenant and selection; an item
 * is missing when its policy type is in the selection's scope and it was last seen before the
 * basis started. A later run of any other selection that saw the item keeps it present, and runs
 * of other selections never make it missing here. Pages are keyset-ordered by (policy type,
 * last_seen_at, external id), the order of `inventory_items_missing_idx`, and a cursor pins its
 * basis run so one listing stays consistent even if a newer run completes meanwhile.
 */
import { type EntityManager } from 'typeorm';
import { InventoryError } from '../../inventory/error-codes';
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

export type MissingResult =
  | { basis: null }
  | {
      basis: MissingBasis;
      /** `low` when the basis run did not fully succeed: an item may be missing only because its type failed. */
      confidence: 'high' | 'low';
      items: InventoryItemRow[];
      nextCursor: string | null;
    };

const MISSING_CURSOR = 'missing';
/** The columns of a run that make it a basis. */
const BASIS_COLUMNS = SYNC_RUNS.pick('id', 'status', 'hadErrors', 'startedAt', 'finishedAt');

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
): Promise<MissingBasis | null> {
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
 * The page query. The basis' `started_at` is read inside the statement rather than passed in,
 * because a JavaScript Date would drop its microseconds.
 */
export function missingItemsStatement(input: {
  tenantId: string;
  scope: readonly string[];
  basisRunId: string;
  after: Omit<MissingCursor, 'basisRunId'> | null;
  limit: number;
}): { sql: string; params: unknown[] } {
  const params: unknown[] = [input.tenantId, input.scope, input.basisRunId];
  let keyset = '';
  if (input.after) {
    params.push(input.after.policyType, input.after.lastSeenAt, input.after.externalId);
    keyset = `AND (policy_type, last_seen_at, external_id) > ($4, $5::timestamptz, $6)`;
  }
  params.push(input.limit);
  return {
    sql: `SELECT ${INVENTORY_ITEMS.columnList}, ${cursorTimestampSql('last_seen_at')} AS cursor_last_seen_at
          FROM inventory_items
          WHERE tenant_id = $1
            AND policy_type = ANY($2::text[])
            AND last_seen_at < (SELECT basis.started_at FROM inventory_sync_runs AS basis
                                WHERE basis.tenant_id = $1 AND basis.id = $3::uuid)
            ${keyset}
          ORDER BY policy_type, last_seen_at, external_id
          LIMIT $${params.length}`,
    params,
  };
}

/**
 * One page of the selection's missing items, with the basis run and the confidence; `{ basis: null }`
 * when no run of this selection has completed. `after` is the previous page's nextCursor. Throws
 * `invalid_input` for a bad limit, a malformed cursor, or one of another tenant or selection.
 */
export async function listMissing(
  manager: TenantManager,
  tenantId: string,
  selection: Selection,
  options: { limit: number; after?: string },
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
  const statement = missingItemsStatement({
    tenantId: tenant,
    scope: selectionScope(selection),
    basisRunId: basis.runId,
    after: cursor,
    limit: limit + 1,
  });
  const rows = await queryRows<DbRow & { cursor_last_seen_at: string }>(
    manager,
    statement.sql,
    statement.params,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    basis,
    confidence: basis.status === 'success' && !basis.hadErrors ? 'high' : 'low',
    items: page.map(INVENTORY_ITEMS.fromDb),
    nextCursor: rows.length > limit && last ? encodeMissingCursor(basis.runId, last) : null,
  };
}
