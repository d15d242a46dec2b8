/**
 * Reads of the inventory's assignment edges: the current edges that target a group or use an
 * assignment filter, a page at a time or all of them as an async iterator holding one page, and
 * one item's edges. Each page is one statement in its own transaction scoped to the tenant
 * (`withTenant`), so row-level security admits that tenant's rows only; paging is by key
 * (db/repositories/assignments.ts). A page and an item's answer also say, in one more statement of
 * the same transaction, which policy types with assignments they cannot vouch for
 * (`typesNotCovered`, db/repositories/assignment-coverage.ts): an answer that lists no policy of
 * such a type does not mean none exists.
 */
import { type DataSource } from 'typeorm';
import { orDbError } from '../db/errors';
import { listTypesNotCovered, type TypeNotCovered } from '../db/repositories/assignment-coverage';
import {
  getItemAssignments as getItemAssignmentRows,
  listAssignmentsByFilter as listByFilterRows,
  listAssignmentsByGroup as listByGroupRows,
  type AssignmentEdge,
  type EdgePage,
  type ItemEdges,
} from '../db/repositories/assignments';
import { MAX_PAGE_LIMIT, parsePageLimit } from '../db/pagination';
import { withTenant, type TenantManager } from '../db/tenant-scope';
import { parseObjectId, typeHasAssignments, TYPES_WITH_ASSIGNMENTS } from '../inventory/assignment-query';
import { parseExternalId, parsePolicyType } from '../inventory/item-query';
import { parseTenantId } from '../inventory/tenant-id';
import { limitArgument, optionalStringArgument, optionsArgument } from './arguments';
import { InvalidInputError, ItemNotFoundError } from './errors';
import { requireTenant } from './tenants';

export type { AssignmentEdge, TypeNotCovered };

/**
 * What an answer cannot vouch for: the policy types with assignments whose latest outcome is not
 * `complete` (`outcome` says which, `since` when), or that were never enumerated (`outcome` and
 * `since` null). Policies of those types may target the group (or use the filter) without being
 * listed. Registry order.
 */
interface Coverage {
  typesNotCovered: TypeNotCovered[];
}

/** One page of edges, the cursor of the next (null on the last page), and what no page covers. */
export type AssignmentPage = EdgePage & Coverage;

/** One item's edges and what they rest on; `typesNotCovered` holds its own type when not covered. */
export type ItemAssignments = ItemEdges & Coverage;

/** What the edges are looked up by: a group, or an assignment filter. */
export type AssignmentLookup = { groupId: string } | { filterId: string };

interface ParsedLookup {
  read: typeof listByGroupRows;
  id: string;
}

function parseLookup(lookup: AssignmentLookup): ParsedLookup {
  return 'groupId' in lookup
    ? { read: listByGroupRows, id: parseObjectId('groupId', lookup.groupId) }
    : { read: listByFilterRows, id: parseObjectId('filterId', lookup.filterId) };
}

/**
 * One page in one transaction. An empty page may mean an unregistered tenant: only then is the
 * tenant looked up, so a page costs one statement.
 */
function readPage(
  db: DataSource,
  tenantId: string,
  lookup: ParsedLookup,
  limit: number,
  after: string | undefined,
): Promise<AssignmentPage> {
  return orDbError(
    'cannot list assignments',
    withTenant(db, tenantId, async (tx: TenantManager) => {
      const page = await lookup.read(tx, tenantId, lookup.id, {
        limit,
        ...(after !== undefined && { after }),
      });
      if (page.assignments.length === 0) await requireTenant(tx, tenantId);
      return { ...page, typesNotCovered: await listTypesNotCovered(tx, tenantId, TYPES_WITH_ASSIGNMENTS) };
    }),
  );
}

/**
 * Backs `InventoryClient.listAssignmentsByGroup` and `listAssignmentsByFilter`. Async so that bad
 * arguments reject the returned promise, like every other read, instead of throwing at the call.
 */
export async function listAssignments(
  db: DataSource,
  tenantIdInput: string,
  lookup: AssignmentLookup,
  options: { limit?: number; cursor?: string },
): Promise<AssignmentPage> {
  const tenantId = parseTenantId(tenantIdInput);
  const bag = optionsArgument(options, 'options');
  const limit = limitArgument(bag.limit, 100);
  const after = optionalStringArgument(bag.cursor, 'cursor');
  return readPage(db, tenantId, parseLookup(lookup), limit, after);
}

/**
 * Backs `InventoryClient.iterateAssignmentsByGroup` and `iterateAssignmentsByFilter`. Arguments
 * are checked at the call; pages are read as the caller consumes them.
 */
export function iterateAssignments(
  db: DataSource,
  tenantIdInput: string,
  lookup: AssignmentLookup,
  options: { pageSize?: number; cursor?: string },
): AsyncIterable<AssignmentEdge> {
  const tenantId = parseTenantId(tenantIdInput);
  const bag = optionsArgument(options, 'options');
  if (bag.pageSize !== undefined && typeof bag.pageSize !== 'number') {
    throw new InvalidInputError('pageSize must be a number');
  }
  const pageSize = bag.pageSize === undefined ? MAX_PAGE_LIMIT : parsePageLimit(bag.pageSize, 'pageSize');
  const first = optionalStringArgument(bag.cursor, 'cursor');
  const parsed = parseLookup(lookup);
  return {
    async *[Symbol.asyncIterator]() {
      let after = first;
      for (;;) {
        const page = await readPage(db, tenantId, parsed, pageSize, after);
        yield* page.assignments;
        if (page.nextCursor === null) return;
        after = page.nextCursor;
      }
    },
  };
}

/** Backs `InventoryClient.getItemAssignments`. */
export async function getItemAssignments(
  db: DataSource,
  tenantIdInput: string,
  policyTypeInput: string,
  externalIdInput: string,
): Promise<ItemAssignments> {
  const tenantId = parseTenantId(tenantIdInput);
  const policyType = parsePolicyType('policy type', policyTypeInput);
  const externalId = parseExternalId('external id', externalIdInput);
  const found = await orDbError(
    'cannot read the item’s assignments',
    withTenant(db, tenantId, async (tx) => {
      const row = await getItemAssignmentRows(tx, tenantId, policyType, externalId);
      if (!row) {
        await requireTenant(tx, tenantId);
        return null;
      }
      // A type without assignments has no edges to vouch for.
      const typesNotCovered = typeHasAssignments(policyType)
        ? await listTypesNotCovered(tx, tenantId, [policyType])
        : [];
      return { ...row, typesNotCovered };
    }),
  );
  if (!found) throw new ItemNotFoundError(policyType, externalId);
  return found;
}
