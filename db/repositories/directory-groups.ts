/**
 * Display names of the Entra groups that assignments reference, last observed per tenant
 * (migration 1795478400008). Syncs refresh the groups their own edges name; readers join them to
 * edges by group id. All run in the caller's tenant transaction (`withTenant`).
 */
import { parseTenantId } from '../../inventory/tenant-id';
import { sanitizeText } from '../../inventory/postgres-text';
import { MAX_DISPLAY_NAME } from '../../inventory/item';
import { type TenantManager } from '../tenant-scope';
import { queryRows } from '../sql';
import { parseUuid } from '../uuid';

/** A name read within this long is not read again (names of groups rarely change). */
export const GROUP_NAME_MAX_AGE = '1 day';

/**
 * At most `limit` distinct group ids named by the current edges of items whose assignments run
 * `runId` observed and whose name is unknown or older than GROUP_NAME_MAX_AGE, in id order; one
 * statement. Several selections of one tenant synced the same night read each name once.
 */
export async function groupIdsObservedByRun(
  manager: TenantManager,
  tenantId: string,
  runId: string,
  limit: number,
): Promise<string[]> {
  const rows = await queryRows<{ group_id: string }>(
    manager,
    `SELECT DISTINCT edge.group_id
     FROM inventory_items item
     JOIN inventory_assignments edge
       ON edge.tenant_id = item.tenant_id AND edge.policy_type = item.policy_type
      AND edge.external_id = item.external_id AND edge.observation_id = item.assignments_observation_id
     WHERE item.tenant_id = $1 AND item.assignments_run_id = $2 AND edge.group_id IS NOT NULL
       AND NOT EXISTS (
         SELECT FROM directory_groups g
         WHERE g.tenant_id = item.tenant_id AND g.group_id = edge.group_id
           AND g.observed_at > now() - interval '${GROUP_NAME_MAX_AGE}')
     ORDER BY edge.group_id
     LIMIT $3`,
    [parseTenantId(tenantId), parseUuid(runId, 'run id'), limit],
  );
  return rows.map((row) => row.group_id);
}

/** Stores the names observed now, one statement whatever their number; returns how many. */
export async function upsertGroupNames(
  manager: TenantManager,
  tenantId: string,
  names: ReadonlyMap<string, string>,
): Promise<number> {
  if (names.size === 0) return 0;
  const ids = [...names.keys()].sort();
  const [row] = await queryRows<{ count: number }>(
    manager,
    `WITH written AS (
       INSERT INTO directory_groups AS g (tenant_id, group_id, display_name, observed_at)
       SELECT $1::uuid, batch.group_id, batch.display_name, now()
       FROM unnest($2::text[], $3::text[]) AS batch (group_id, display_name)
       ON CONFLICT (tenant_id, group_id) DO UPDATE SET
         display_name = EXCLUDED.display_name, observed_at = EXCLUDED.observed_at
       RETURNING 1
     )
     SELECT count(*)::int AS count FROM written`,
    [parseTenantId(tenantId), ids, ids.map((id) => sanitizeText(names.get(id)!, MAX_DISPLAY_NAME))],
  );
  return row!.count;
}
