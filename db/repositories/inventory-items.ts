/**
 * The catalog of last observed items: one idempotent upsert statement per page of Graph items,
 * keyset-paginated listing with filters, and one item by its key. All run in the caller's tenant
 * transaction (`withTenant`, db/tenant-scope.ts), so row-level security rejects an item of any
 * other tenant.
 */
import { randomUUID } from 'node:crypto';
import { boundedEchoList } from '../../inventory/bounded-echo';
import { InventoryError } from '../../inventory/error-codes';
import { type NormalizedAssignment } from '../../inventory/assignment';
import { parseScopeTagInput, SCOPE_TAG_KEYS, TYPES_WITH_ASSIGNMENTS } from '../../inventory/assignment-query';
import { type NormalizedItem } from '../../inventory/item';
import {
  parseChangedSince,
  parseExternalId,
  parsePolicyType,
  parseSearchText,
} from '../../inventory/item-query';
import { isPolicyType, type PolicyType } from '../../inventory/policy-types';
import { parseTenantId } from '../../inventory/tenant-id';
import { containsPattern } from '../like';
import { type TenantManager } from '../tenant-scope';
import { queryRows } from '../sql';
import { parseUuid } from '../uuid';
import { decodeCursor, encodeCursor, parsePageLimit } from '../pagination';
import { type DbRow } from '../table';
import { INVENTORY_ITEMS, type InventoryItemRow } from './inventory-item-row';

export type { InventoryItemRow } from './inventory-item-row';

const ITEMS_CURSOR = 'items';

/**
 * `last_seen_at` is the transaction's now() (the database clock runs also use). An observation
 * older than the stored one (a slower transaction that committed later) changes nothing, which
 * keeps `last_seen_at` monotonic with `last_seen_run_id` and the content following it.
 * `updated_at` moves only when name, platform, category or metadata actually change, and then
 * to now(), so an updated row whose `updated_at` is now() was changed by this statement (each page
 * is its own transaction, and an older row's `updated_at` is an earlier transaction's now()).
 * `xmax = 0` holds exactly for rows this statement inserted rather than updated.
 *
 * Items observed with their assignments ($10) get this statement's observation id ($9) and their
 * edges are written with it, only for items the statement actually wrote (an older observation
 * writes neither), so an item's current edges are exactly those of its latest observation
 * (migration 1795478400008). Other items keep their stamp and edges.
 */
const UPSERT_SQL = `
  WITH written AS (
    INSERT INTO inventory_items AS item
      (tenant_id, policy_type, external_id, display_name, platform, category, meta_jsonb, last_seen_at, last_seen_run_id,
       assignments_observation_id, assignments_observed_at, assignments_run_id)
    SELECT $1::uuid, batch.policy_type, batch.external_id, batch.display_name, batch.platform, batch.category,
           batch.meta_jsonb, now(), $2::uuid,
           CASE WHEN batch.with_assignments THEN $9::uuid END,
           CASE WHEN batch.with_assignments THEN now() END,
           CASE WHEN batch.with_assignments THEN $2::uuid END
    FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $10::boolean[])
      AS batch (policy_type, external_id, display_name, platform, category, meta_jsonb, with_assignments)
    ON CONFLICT (tenant_id, policy_type, external_id) DO UPDATE SET
      display_name = EXCLUDED.display_name,
      platform = EXCLUDED.platform,
      category = EXCLUDED.category,
      meta_jsonb = EXCLUDED.meta_jsonb,
      last_seen_at = EXCLUDED.last_seen_at,
      last_seen_run_id = EXCLUDED.last_seen_run_id,
      assignments_observation_id = coalesce(EXCLUDED.assignments_observation_id, item.assignments_observation_id),
      assignments_observed_at = coalesce(EXCLUDED.assignments_observed_at, item.assignments_observed_at),
      assignments_run_id = coalesce(EXCLUDED.assignments_run_id, item.assignments_run_id),
      updated_at = CASE
        WHEN (item.display_name, item.platform, item.category, item.meta_jsonb)
             IS DISTINCT FROM (EXCLUDED.display_name, EXCLUDED.platform, EXCLUDED.category, EXCLUDED.meta_jsonb)
        THEN now() ELSE item.updated_at END
    WHERE EXCLUDED.last_seen_at >= item.last_seen_at
    RETURNING item.policy_type, item.external_id, item.assignments_observation_id = $9::uuid AS stamped,
              (xmax = 0) AS inserted, item.updated_at = now() AS touched
  ), edges AS (
    INSERT INTO inventory_assignments AS edge
      (tenant_id, policy_type, external_id, assignment_id, target_kind, target_type, group_id, filter_id,
       filter_type, intent, source, source_id, observation_id, observed_at)
    SELECT $1::uuid, e.policy_type, e.external_id, e.assignment_id, e.target_kind, e.target_type, e.group_id,
           e.filter_id, e.filter_type, e.intent, e.source, e.source_id, $9::uuid, now()
    FROM unnest($11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[],
                $18::text[], $19::text[], $20::text[], $21::text[])
      AS e (policy_type, external_id, assignment_id, target_kind, target_type, group_id, filter_id, filter_type,
            intent, source, source_id)
    JOIN written w ON w.policy_type = e.policy_type AND w.external_id = e.external_id AND w.stamped
    ON CONFLICT (tenant_id, policy_type, external_id, assignment_id) DO UPDATE SET
      target_kind = EXCLUDED.target_kind,
      target_type = EXCLUDED.target_type,
      group_id = EXCLUDED.group_id,
      filter_id = EXCLUDED.filter_id,
      filter_type = EXCLUDED.filter_type,
      intent = EXCLUDED.intent,
      source = EXCLUDED.source,
      source_id = EXCLUDED.source_id,
      observation_id = EXCLUDED.observation_id,
      observed_at = EXCLUDED.observed_at
    RETURNING 1
  )
  SELECT count(*)::int AS "itemsUpsertedCount",
         (count(*) FILTER (WHERE inserted))::int AS "itemsNewCount",
         (count(*) FILTER (WHERE NOT inserted AND touched))::int AS "itemsChangedCount",
         (count(*) FILTER (WHERE NOT inserted AND NOT touched))::int AS "itemsUnchangedCount",
         (SELECT count(*) FROM edges)::int AS "assignmentsWrittenCount"
  FROM written`;

/**
 * One item per key, the last occurrence winning (ON CONFLICT cannot touch a row twice in one
 * statement), in key order so concurrent batches lock shared rows in the same order.
 */
function collapseBatch(items: readonly NormalizedItem[]): NormalizedItem[] {
  const byKey = new Map<string, NormalizedItem>();
  for (const item of items) byKey.set(JSON.stringify([item.policy_type, item.external_id]), item);
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item);
}

/** What one upsert wrote; new + changed + unchanged = upserted. */
export interface UpsertCounts {
  /** Rows written (after collapsing duplicate keys; an observation older than the stored one writes none). */
  itemsUpsertedCount: number;
  /** Of them, rows inserted: items never stored before for this tenant. */
  itemsNewCount: number;
  /** Of them, stored rows whose name, platform, category or metadata changed (`updated_at` moved). */
  itemsChangedCount: number;
  /** Of them, stored rows observed again as they were (only `last_seen_*` moved). */
  itemsUnchangedCount: number;
  /** Assignment edges written with the written items that were observed with their assignments. */
  assignmentsWrittenCount: number;
}

/** Counts of an upsert that wrote nothing. */
export const NOTHING_UPSERTED: UpsertCounts = {
  itemsUpsertedCount: 0,
  itemsNewCount: 0,
  itemsChangedCount: 0,
  itemsUnchangedCount: 0,
  assignmentsWrittenCount: 0,
};

/**
 * One edge per (item, assignment id), the last occurrence winning, as collapseBatch does for items.
 */
function edgesOf(batch: readonly NormalizedItem[]): Array<NormalizedAssignment & { item: NormalizedItem }> {
  const byKey = new Map<string, NormalizedAssignment & { item: NormalizedItem }>();
  for (const item of batch) {
    for (const edge of item.assignments ?? []) {
      byKey.set(JSON.stringify([item.policy_type, item.external_id, edge.assignment_id]), { ...edge, item });
    }
  }
  return [...byKey.values()];
}

/**
 * Upserts a page of items seen by `runId`, with the assignments of those observed with them, in ONE
 * statement whatever its size, and counts what it wrote.
 */
export async function upsertItems(
  manager: TenantManager,
  tenantId: string,
  runId: string,
  items: readonly NormalizedItem[],
): Promise<UpsertCounts> {
  const tenant = parseTenantId(tenantId);
  const run = parseUuid(runId, 'run id');
  const batch = collapseBatch(items);
  if (batch.length === 0) return NOTHING_UPSERTED;
  const edges = edgesOf(batch);
  const [counts] = await queryRows<UpsertCounts>(manager, UPSERT_SQL, [
    tenant,
    run,
    batch.map((item) => item.policy_type),
    batch.map((item) => item.external_id),
    batch.map((item) => item.display_name),
    batch.map((item) => item.platform),
    batch.map((item) => item.category),
    batch.map((item) => JSON.stringify(item.meta)),
    randomUUID(),
    batch.map((item) => item.assignments !== undefined),
    edges.map((edge) => edge.item.policy_type),
    edges.map((edge) => edge.item.external_id),
    edges.map((edge) => edge.assignment_id),
    edges.map((edge) => edge.target_kind),
    edges.map((edge) => edge.target_type),
    edges.map((edge) => edge.group_id),
    edges.map((edge) => edge.filter_id),
    edges.map((edge) => edge.filter_type),
    edges.map((edge) => edge.intent),
    edges.map((edge) => edge.source),
    edges.map((edge) => edge.source_id),
  ]);
  return counts!;
}

function parsePolicyTypes(types: readonly string[]): PolicyType[] {
  const unknown = types.filter((type) => !isPolicyType(type));
  if (unknown.length > 0)
    throw new InventoryError('invalid_input', `unknown policy type(s) ${boundedEchoList(unknown)}`);
  return [...types] as PolicyType[];
}

/** Filters of a listing; each narrows it further (AND). */
export interface ItemFilters {
  /** Only these policy types (a selection's scope); all types when absent. */
  policyTypes?: PolicyType[];
  /** Text found, case-insensitively, in the display name or the external id (inventory/item-query.ts). */
  search?: string;
  /** Only items whose content changed (`updated_at`) at or after this instant. */
  changedSince?: Date;
  /**
   * Only items assigned to nothing: of a type that has assignments, observed with them (stamped),
   * with no current edge. Items never observed with their assignments are unknown, not unassigned.
   */
  unassigned?: boolean;
  /** Only items whose metadata names this scope tag id (in one of SCOPE_TAG_KEYS). */
  scopeTagId?: string;
}

/**
 * The WHERE conditions of `filters` on `inventory_items` (unaliased) for tenant `$1`, appending
 * their values to `params` (which must hold the tenant id first). Shared by the listing and the
 * counts that describe it (db/repositories/assignments.ts), so both read the same items.
 */
export function itemFilterConditions(filters: ItemFilters, params: unknown[]): string[] {
  const conditions = ['inventory_items.tenant_id = $1'];
  if (filters.policyTypes !== undefined) {
    params.push(parsePolicyTypes(filters.policyTypes));
    conditions.push(`inventory_items.policy_type = ANY($${params.length}::text[])`);
  }
  if (filters.search !== undefined) {
    params.push(containsPattern(parseSearchText('search', filters.search)));
    conditions.push(
      `(inventory_items.display_name ILIKE $${params.length} OR inventory_items.external_id ILIKE $${params.length})`,
    );
  }
  if (filters.changedSince !== undefined) {
    params.push(parseChangedSince('changedSince', filters.changedSince, new Date()));
    conditions.push(`inventory_items.updated_at >= $${params.length}`);
  }
  if (filters.unassigned === true) {
    params.push(TYPES_WITH_ASSIGNMENTS);
    conditions.push(`inventory_items.policy_type = ANY($${params.length}::text[])
      AND inventory_items.assignments_observation_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM inventory_assignments AS edge
                      WHERE edge.tenant_id = inventory_items.tenant_id
                        AND edge.policy_type = inventory_items.policy_type
                        AND edge.external_id = inventory_items.external_id
                        AND edge.observation_id = inventory_items.assignments_observation_id)`);
  }
  if (filters.scopeTagId !== undefined) {
    params.push(JSON.stringify([parseScopeTagInput('scope tag', filters.scopeTagId)]));
    conditions.push(
      `(${SCOPE_TAG_KEYS.map((key) => `inventory_items.meta_jsonb -> '${key}' @> $${params.length}::jsonb`).join(' OR ')})`,
    );
  }
  return conditions;
}

/**
 * One page of a tenant's items ordered by (policy type, external id), the order of the table's
 * unique key, in ONE statement. `after` is the previous page's nextCursor: a page begins after
 * that key whatever was written in between, so paging while syncs write never returns a row twice
 * and never skips one that existed throughout. `invalid_input` for an unknown policy type, a
 * search text parseSearchText refuses, an invalid Date, a limit out of range or a cursor of
 * another list.
 */
export async function listItems(
  manager: TenantManager,
  tenantId: string,
  options: ItemFilters & { limit: number; after?: string },
): Promise<{ items: InventoryItemRow[]; nextCursor: string | null }> {
  const tenant = parseTenantId(tenantId);
  const limit = parsePageLimit(options.limit);
  const params: unknown[] = [tenant];
  const conditions = itemFilterConditions(options, params);
  if (options.after !== undefined) {
    const [policyType, externalId] = decodeCursor(ITEMS_CURSOR, options.after, ['policyType', 'text']);
    params.push(policyType, externalId);
    conditions.push(`(policy_type, external_id) > ($${params.length - 1}, $${params.length})`);
  }
  params.push(limit + 1);
  const rows = await queryRows<DbRow>(
    manager,
    `SELECT ${INVENTORY_ITEMS.columnList} FROM inventory_items
     WHERE ${conditions.join(' AND ')}
     ORDER BY policy_type, external_id
     LIMIT $${params.length}`,
    params,
  );
  const items = rows.slice(0, limit).map(INVENTORY_ITEMS.fromDb);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor:
      rows.length > limit && last ? encodeCursor(ITEMS_CURSOR, [last.policyType, last.externalId]) : null,
  };
}

/** The tenant's item of `policyType` with Graph id `externalId`, or null; `invalid_input` for malformed ones. */
export async function getItem(
  manager: TenantManager,
  tenantId: string,
  policyType: string,
  externalId: string,
): Promise<InventoryItemRow | null> {
  const [row] = await queryRows<DbRow>(
    manager,
    `SELECT ${INVENTORY_ITEMS.columnList} FROM inventory_items
     WHERE tenant_id = $1 AND policy_type = $2 AND external_id = $3`,
    [
      parseTenantId(tenantId),
      parsePolicyType('policy type', policyType),
      parseExternalId('external id', externalId),
    ],
  );
  return row ? INVENTORY_ITEMS.fromDb(row) : null;
}
