/**
 * Reads of the inventory's assignment edges (migration 1795478400008): every current edge that
 * targets a group or uses an assignment filter, across every policy type; one item's edges; how many
 * items a listing of unassigned items leaves out, and a scope tag by id or name. An item's current
 * edges are the rows carrying its `assignments_observation_id`; older rows are edges that
 * disappeared from Graph and never count.
 *
 * Every edge comes with what its answer rests on: when the item's assignments were observed
 * (`assignmentsObservedAt`, by run `assignmentsRunId`), whether that run enumerated the item's type
 * completely (`typeCompleteWhenObserved`: its per-type outcome; null when the run has none yet, e.g.
 * still running), and whether the item was observed again later without its assignments being
 * read (`assignmentsOutdated`: its type or its per-item request failed then, so the edges are older
 * than the item).
 *
 * Each read is ONE statement in the caller's `withTenant` transaction (db/tenant-scope.ts): row-level
 * security admits that tenant's edges, items, groups and run outcomes only. Listings are keyset
 * paginated by (policy type, external id, assignment id), the edges' primary key order, so pages
 * read while syncs write never repeat an edge; a cursor names its lookup (group or filter, and its
 * id) and is refused by any other.
 */
import { boundedEcho } from '../../inventory/bounded-echo';
import { InventoryError } from '../../inventory/error-codes';
import { type FilterType } from '../../inventory/assignment';
import {
  parseObjectId,
  parseScopeTagInput,
  typeHasAssignments,
  TYPES_WITH_ASSIGNMENTS,
} from '../../inventory/assignment-query';
import { parseExternalId, parsePolicyType } from '../../inventory/item-query';
import { type PolicyType } from '../../inventory/policy-types';
import { parseTenantId } from '../../inventory/tenant-id';
import { decodeCursor, encodeCursor, parsePageLimit } from '../pagination';
import { queryRows } from '../sql';
import { type DbRow } from '../table';
import { type TenantManager } from '../tenant-scope';
import { itemFilterConditions, type ItemFilters } from './inventory-items';

/** One current assignment edge with its item, the names of what it references, and its basis. */
export interface AssignmentEdge {
  /** The assigned item's policy type, Graph id and name. */
  policyType: PolicyType;
  externalId: string;
  displayName: string;
  /** Whether the item's type has assignments in the registry (edges of a type that lost them stay readable). */
  typeHasAssignments: boolean;
  assignmentId: string;
  /** `group`, `exclusionGroup`, `allDevices`, `allLicensedUsers`, or the target's type name. */
  targetKind: string;
  /** The target's `@odata.type` as Graph sent it. */
  targetType: string | null;
  groupId: string | null;
  /** The group's display name from `directory_groups`; null when unknown (not read, or not permitted). */
  groupDisplayName: string | null;
  filterId: string | null;
  /** The assignment filter's display name (the tenant's assignmentFilter item); null when not inventoried. */
  filterDisplayName: string | null;
  filterType: FilterType;
  intent: string | null;
  source: string | null;
  sourceId: string | null;
  /** When the item's assignments (these edges) were observed. */
  assignmentsObservedAt: Date;
  /** The run that observed them. */
  assignmentsRunId: string;
  /**
   * Whether that run enumerated the item's type completely (its per-type outcome is `complete`);
   * null when the run has no outcome for the type (still running, or finalized without one).
   */
  typeCompleteWhenObserved: boolean | null;
  /** The item was observed later without its assignments (its type or per-item read failed then). */
  assignmentsOutdated: boolean;
}

/** One page of edges and the cursor of the next, null on the last page. */
export interface EdgePage {
  assignments: AssignmentEdge[];
  nextCursor: string | null;
}

/** The assignments of one item, and what they rest on. */
export interface ItemEdges {
  policyType: PolicyType;
  externalId: string;
  displayName: string;
  lastSeenAt: Date;
  /** False: the type has no assignments at all (the registry's `assignments` is unset). */
  typeHasAssignments: boolean;
  /** When the item's assignments were last observed; null: never (no edges known, not "none"). */
  assignmentsObservedAt: Date | null;
  assignmentsRunId: string | null;
  /** As on AssignmentEdge; null also when never observed. */
  typeCompleteWhenObserved: boolean | null;
  /** As on AssignmentEdge; false when never observed. */
  assignmentsOutdated: boolean;
  /** Its current edges by assignment id; empty when never observed or assigned to nothing. */
  assignments: AssignmentEdge[];
}

const ASSIGNMENTS_CURSOR = 'assignments';

/** What a lookup by each column is called in its cursor and in a refusal. */
const LOOKUP_OF = { group_id: 'group', filter_id: 'filter' } as const;

/**
 * The edge columns of the statements below, with `edge` the assignment, `item` its item (joined on
 * the current stamp), `grp` its group's name row and `filter` its filter's item.
 */
const EDGE_SELECT = `
  edge.policy_type, edge.external_id, item.display_name, edge.assignment_id, edge.target_kind,
  edge.target_type, edge.group_id, grp.display_name AS group_display_name, edge.filter_id,
  filter.display_name AS filter_display_name, edge.filter_type, edge.intent, edge.source, edge.source_id,
  item.assignments_observed_at, item.assignments_run_id,
  outcome.outcome = 'complete' AS type_complete_when_observed,
  item.assignments_observed_at < item.last_seen_at AS assignments_outdated`;

/** Joins of EDGE_SELECT from `item`; `edge` joined by the caller. */
const EDGE_JOINS = `
  LEFT JOIN directory_groups AS grp ON grp.tenant_id = edge.tenant_id AND grp.group_id = edge.group_id
  LEFT JOIN inventory_items AS filter
    ON filter.tenant_id = edge.tenant_id AND filter.policy_type = 'assignmentFilter'
       AND filter.external_id = edge.filter_id
  LEFT JOIN inventory_sync_run_types AS outcome
    ON outcome.tenant_id = item.tenant_id AND outcome.run_id = item.assignments_run_id
       AND outcome.policy_type = item.policy_type`;

function edgeOf(row: DbRow): AssignmentEdge {
  const policyType = row.policy_type as PolicyType;
  return {
    policyType,
    externalId: row.external_id as string,
    displayName: row.display_name as string,
    typeHasAssignments: typeHasAssignments(policyType),
    assignmentId: row.assignment_id as string,
    targetKind: row.target_kind as string,
    targetType: row.target_type as string | null,
    groupId: row.group_id as string | null,
    groupDisplayName: row.group_display_name as string | null,
    filterId: row.filter_id as string | null,
    filterDisplayName: row.filter_display_name as string | null,
    filterType: row.filter_type as FilterType,
    intent: row.intent as string | null,
    source: row.source as string | null,
    sourceId: row.source_id as string | null,
    assignmentsObservedAt: row.assignments_observed_at as Date,
    assignmentsRunId: row.assignments_run_id as string,
    typeCompleteWhenObserved: row.type_complete_when_observed as boolean | null,
    assignmentsOutdated: row.assignments_outdated as boolean,
  };
}

/** One page of current edges whose `column` equals `value`, in ONE statement. */
async function listEdgesBy(
  manager: TenantManager,
  tenantId: string,
  column: 'group_id' | 'filter_id',
  value: string,
  options: { limit: number; after?: string },
): Promise<EdgePage> {
  const limit = parsePageLimit(options.limit);
  const params: unknown[] = [parseTenantId(tenantId), value];
  let keyset = '';
  const lookup = LOOKUP_OF[column];
  if (options.after !== undefined) {
    const [kind, id, ...key] = decodeCursor(ASSIGNMENTS_CURSOR, options.after, [
      'text',
      'uuid',
      'policyType',
      'text',
      'text',
    ]);
    // A cursor continues the lookup that printed it: after another group's (or a filter's) edge
    // it would silently skip or repeat edges of this one.
    if (kind !== lookup || id !== value) {
      throw new InventoryError(
        'invalid_input',
        `the cursor is not a valid assignments cursor for this ${lookup}; list again from the start`,
      );
    }
    params.push(...key);
    keyset = 'AND (edge.policy_type, edge.external_id, edge.assignment_id) > ($3, $4, $5)';
  }
  params.push(limit + 1);
  const rows = await queryRows<DbRow>(
    manager,
    `SELECT ${EDGE_SELECT}
     FROM inventory_assignments AS edge
     JOIN inventory_items AS item
       ON item.tenant_id = edge.tenant_id AND item.policy_type = edge.policy_type
          AND item.external_id = edge.external_id AND item.assignments_observation_id = edge.observation_id
     ${EDGE_JOINS}
     WHERE edge.tenant_id = $1 AND edge.${column} = $2 ${keyset}
     ORDER BY edge.policy_type, edge.external_id, edge.assignment_id
     LIMIT $${params.length}`,
    params,
  );
  const assignments = rows.slice(0, limit).map(edgeOf);
  const last = assignments[assignments.length - 1];
  return {
    assignments,
    nextCursor:
      rows.length > limit && last
        ? encodeCursor(ASSIGNMENTS_CURSOR, [
            lookup,
            value,
            last.policyType,
            last.externalId,
            last.assignmentId,
          ])
        : null,
  };
}

/**
 * One page of the current edges that name group `groupId` (a GUID), of every kind (included,
 * excluded, any other target with that group) and every policy type, ordered by (policy type,
 * external id, assignment id). `limit` 1 to 1000, `after` the previous page's nextCursor.
 * `invalid_input` for a malformed id, limit or cursor, or a cursor of another lookup.
 */
export function listAssignmentsByGroup(
  manager: TenantManager,
  tenantId: string,
  groupId: string,
  options: { limit: number; after?: string },
): Promise<EdgePage> {
  return listEdgesBy(manager, tenantId, 'group_id', parseObjectId('group id', groupId), options);
}

/** Like listAssignmentsByGroup, for the current edges that use assignment filter `filterId` (a GUID). */
export function listAssignmentsByFilter(
  manager: TenantManager,
  tenantId: string,
  filterId: string,
  options: { limit: number; after?: string },
): Promise<EdgePage> {
  return listEdgesBy(manager, tenantId, 'filter_id', parseObjectId('filter id', filterId), options);
}

/**
 * The item of `policyType` with Graph id `externalId` and its current edges, in ONE statement; null
 * when the tenant has no such item. `invalid_input` for an unknown type or a malformed id.
 */
export async function getItemAssignments(
  manager: TenantManager,
  tenantId: string,
  policyType: string,
  externalId: string,
): Promise<ItemEdges | null> {
  const rows = await queryRows<DbRow>(
    manager,
    `SELECT ${EDGE_SELECT}, item.policy_type AS item_policy_type, item.external_id AS item_external_id,
            item.last_seen_at, edge.assignment_id IS NOT NULL AS has_edge
     FROM inventory_items AS item
     LEFT JOIN inventory_assignments AS edge
       ON edge.tenant_id = item.tenant_id AND edge.policy_type = item.policy_type
          AND edge.external_id = item.external_id AND edge.observation_id = item.assignments_observation_id
     ${EDGE_JOINS}
     WHERE item.tenant_id = $1 AND item.policy_type = $2 AND item.external_id = $3
     ORDER BY edge.assignment_id`,
    [
      parseTenantId(tenantId),
      parsePolicyType('policy type', policyType),
      parseExternalId('external id', externalId),
    ],
  );
  const first = rows[0];
  if (!first) return null;
  const type = first.item_policy_type as PolicyType;
  return {
    policyType: type,
    externalId: first.item_external_id as string,
    displayName: first.display_name as string,
    lastSeenAt: first.last_seen_at as Date,
    typeHasAssignments: typeHasAssignments(type),
    assignmentsObservedAt: first.assignments_observed_at as Date | null,
    assignmentsRunId: first.assignments_run_id as string | null,
    typeCompleteWhenObserved: first.type_complete_when_observed as boolean | null,
    assignmentsOutdated: first.assignments_outdated === true,
    assignments: rows.filter((row) => row.has_edge === true).map(edgeOf),
  };
}

/** Items a listing of unassigned items leaves out, because whether they are assigned is not known. */
export interface UnassignedLeftOut {
  /** Items of types that have assignments whose assignments were never observed. */
  neverObservedCount: number;
  /** Items of types without assignments (neither assigned nor unassigned). */
  withoutAssignmentsCount: number;
}

/**
 * How many items matching `filters` (other than `unassigned`) a listing of unassigned items leaves
 * out, and why, in ONE statement.
 */
export async function countUnassignedLeftOut(
  manager: TenantManager,
  tenantId: string,
  filters: ItemFilters,
): Promise<UnassignedLeftOut> {
  const params: unknown[] = [parseTenantId(tenantId)];
  const conditions = itemFilterConditions({ ...filters, unassigned: false }, params);
  params.push(TYPES_WITH_ASSIGNMENTS);
  const typesParam = `$${params.length}::text[]`;
  const [row] = await queryRows<UnassignedLeftOut>(
    manager,
    `SELECT (count(*) FILTER (WHERE policy_type = ANY(${typesParam}) AND assignments_observation_id IS NULL))::int
              AS "neverObservedCount",
            (count(*) FILTER (WHERE NOT policy_type = ANY(${typesParam})))::int AS "withoutAssignmentsCount"
     FROM inventory_items WHERE ${conditions.join(' AND ')}`,
    params,
  );
  return row!;
}

/** A scope tag as the inventory knows it: the tenant's roleScopeTag items. */
export interface ScopeTag {
  id: string;
  /** Null when no roleScopeTag item has this id (scope tags not inventoried, or the tag is gone). */
  displayName: string | null;
}

/** What resolveScopeTag found: the tag meant, and the names of all the tenant's tags by id. */
export interface ResolvedScopeTag {
  tag: ScopeTag;
  namesById: Record<string, string>;
}

const TAG_ID = /^\d+$/;

/**
 * The scope tag `input` names, by id or by display name (case-insensitive, exact), from the tenant's
 * roleScopeTag items, in ONE statement that reads them all (a tenant has few). An id of a tag the
 * inventory holds wins over a name; a number no tag has is still taken as an id (Intune's tag ids
 * are numbers, and scope tags may not be inventoried). `tenant_unknown` for an unregistered tenant;
 * `invalid_input` when a name matches several tags (listing them) or none.
 */
export async function resolveScopeTag(
  manager: TenantManager,
  tenantId: string,
  input: string,
): Promise<ResolvedScopeTag> {
  const wanted = parseScopeTagInput('scope tag', input);
  const id = parseTenantId(tenantId);
  // From the tenant's row, so an unregistered tenant is told apart from one without tags: "sync
  // roleScopeTag first" would send its caller the wrong way.
  const found = await queryRows<{ external_id: string | null; display_name: string | null }>(
    manager,
    `SELECT tag.external_id, tag.display_name FROM tenants AS tenant
     LEFT JOIN inventory_items AS tag ON tag.tenant_id = tenant.id AND tag.policy_type = 'roleScopeTag'
     WHERE tenant.id = $1 ORDER BY tag.external_id`,
    [id],
  );
  if (found.length === 0) throw new InventoryError('tenant_unknown', `tenant ${id} is not registered`);
  const rows = found.filter(
    (row): row is { external_id: string; display_name: string } => row.external_id !== null,
  );
  const namesById = Object.fromEntries(rows.map((row) => [row.external_id, row.display_name]));
  const byId = rows.find((row) => row.external_id === wanted);
  if (byId) return { tag: { id: byId.external_id, displayName: byId.display_name }, namesById };
  const lower = wanted.toLowerCase();
  const byName = rows.filter((row) => row.display_name.toLowerCase() === lower);
  if (byName.length === 1) {
    return { tag: { id: byName[0]!.external_id, displayName: byName[0]!.display_name }, namesById };
  }
  if (byName.length > 1) {
    const ids = byName.map((row) => row.external_id).join(', ');
    throw new InventoryError(
      'invalid_input',
      `scope tag name ${boundedEcho(wanted, { quote: true, max: 80 })} matches tags ${boundedEcho(ids, { max: 120 })}; give the tag's id`,
    );
  }
  if (TAG_ID.test(wanted)) return { tag: { id: wanted, displayName: null }, namesById };
  throw new InventoryError(
    'invalid_input',
    `no scope tag named ${boundedEcho(wanted, { quote: true, max: 80 })} was observed in this tenant; ` +
      `give the tag's id, or sync roleScopeTag first`,
  );
}
