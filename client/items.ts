/**
 * Reads of the inventory itself: pages of a tenant's items with filters, every item as an async
 * iterator that holds one page at a time, and one item by its key. Each page is one statement in
 * its own transaction scoped to the tenant (`withTenant`), so row-level security admits that
 * tenant's rows only, and paging is by key (db/repositories/inventory-items.ts): a listing that
 * runs while syncs write never yields an item twice nor skips one that existed throughout.
 */
import { type DataSource } from 'typeorm';
import { orDbError } from '../db/errors';
import {
  getItem as getItemRow,
  listItems as listItemRows,
  type InventoryItemRow,
  type ItemFilters,
} from '../db/repositories/inventory-items';
import {
  countUnassignedLeftOut,
  resolveScopeTag,
  type ScopeTag,
  type UnassignedLeftOut,
} from '../db/repositories/assignments';
import { MAX_PAGE_LIMIT, parsePageLimit } from '../db/pagination';
import { withTenant, type TenantManager } from '../db/tenant-scope';
import {
  parseChangedSince,
  parseExternalId,
  parsePolicyType,
  parseSearchText,
} from '../inventory/item-query';
import { parseScopeTagInput } from '../inventory/assignment-query';
import { parseSelection, selectionScope } from '../inventory/selection';
import { parseTenantId } from '../inventory/tenant-id';
import { type SelectionInput } from '../workflows/contract';
import { booleanArgument, limitArgument, optionalStringArgument, optionsArgument } from './arguments';
import { InvalidInputError, ItemNotFoundError } from './errors';
import { requireTenant } from './tenants';

/** An item as last observed: its key, name, whitelisted metadata, and when and by which run it was seen. */
export type InventoryItem = InventoryItemRow;

/** The filters listItems and iterateItems take; each narrows the listing further. */
export interface ItemQuery {
  /** Only the policy types this selection covers (its types and its categories' types). */
  selection?: SelectionInput;
  /** Text found, case-insensitively, in the display name or the Graph id; 1 to 256 characters. */
  search?: string;
  /**
   * Only items whose name, platform, category or metadata changed at or after this time: a Date,
   * an ISO 8601 time (`2026-05-01T08:00:00Z`) or a duration ago (`24h`, `7d`).
   */
  changedSince?: Date | string;
  /**
   * Only items assigned to nothing: of a type that has assignments, whose assignments were observed
   * and hold no current edge. Items never observed with their assignments are left out (counted in
   * `unassignedLeftOut`), as are types without assignments.
   */
  unassigned?: boolean;
  /**
   * Only items tagged with this scope tag: its id (`0`), or its display name (case-insensitive,
   * exact) among the tenant's inventoried roleScopeTag items. `invalid_input` for a name matching
   * several tags or none.
   */
  scopeTag?: string;
  /** The previous page's nextCursor: continue after it. */
  cursor?: string;
}

/** A page of items, and what the filters that need it say about the whole listing. */
export interface ItemPage {
  items: InventoryItem[];
  nextCursor: string | null;
  /** With `unassigned`: the items the listing leaves out because their assignment is unknown. */
  unassignedLeftOut?: UnassignedLeftOut;
  /** With `scopeTag`: the tag it named, and every inventoried tag's name by id (for showing tags). */
  scopeTag?: ScopeTag & { namesById: Record<string, string> };
}

/** Pages of iterateItems: as large as a page may be, so a long export makes few round trips. */
const ITERATE_PAGE_SIZE = MAX_PAGE_LIMIT;

interface ParsedQuery {
  filters: ItemFilters;
  after: string | undefined;
  /** The scope tag as given, resolved to `filters.scopeTagId` in the first page's transaction. */
  scopeTag: string | undefined;
  /** Whether to count what `unassigned` leaves out: once per listing, on its first page. */
  countLeftOut: boolean;
}

/**
 * The checked filters of an options bag; a relative
 * `changedSince` becomes an instant here, once, so every page of one listing uses the same one.
 */
function parseQuery(options: Record<string, unknown>): ParsedQuery {
  const { selection, search, changedSince, unassigned, scopeTag, cursor } = options;
  const filters: ItemFilters = {
    ...(selection !== undefined && { policyTypes: selectionScope(parseSelection(selection)) }),
    ...(search !== undefined && { search: parseSearchText('search', search) }),
    ...(changedSince !== undefined && {
      changedSince: parseChangedSince('changedSince', changedSince, new Date()),
    }),
    ...(unassigned !== undefined && { unassigned: booleanArgument(unassigned, 'unassigned') }),
  };
  return {
    filters,
    after: optionalStringArgument(cursor, 'cursor'),
    scopeTag: scopeTag === undefined ? undefined : parseScopeTagInput('scopeTag', scopeTag),
    countLeftOut: true,
  };
}

/**
 * One page in one transaction. An empty page may mean an unregistered tenant: only then is the
 * tenant looked up, so a page of items costs one statement, plus one to resolve a scope tag and
 * one to count what `unassigned` leaves out when those are asked for.
 */
function readPage(db: DataSource, tenantId: string, query: ParsedQuery, limit: number): Promise<ItemPage> {
  return orDbError(
    'cannot list items',
    withTenant(db, tenantId, async (tx: TenantManager) => {
      const resolved =
        query.scopeTag === undefined ? undefined : await resolveScopeTag(tx, tenantId, query.scopeTag);
      const filters = { ...query.filters, ...(resolved && { scopeTagId: resolved.tag.id }) };
      const page: ItemPage = await listItemRows(tx, tenantId, {
        ...filters,
        limit,
        ...(query.after !== undefined && { after: query.after }),
      });
      if (page.items.length === 0) await requireTenant(tx, tenantId);
      if (filters.unassigned === true && query.countLeftOut)
        page.unassignedLeftOut = await countUnassignedLeftOut(tx, tenantId, filters);
      if (resolved) page.scopeTag = { ...resolved.tag, namesById: resolved.namesById };
      return page;
    }),
  );
}

/** Backs `InventoryClient.listItems`. */
export async function listItems(
  db: DataSource,
  tenantIdInput: string,
  options: ItemQuery & { limit?: number },
): Promise<ItemPage> {
  const tenantId = parseTenantId(tenantIdInput);
  const bag = optionsArgument(options, 'listItems options');
  const limit = limitArgument(bag.limit, 100);
  return readPage(db, tenantId, parseQuery(bag), limit);
}

/**
 * Backs `InventoryClient.iterateItems`. Arguments are checked at the call, before anything is read
 * (a bad one throws there, not at the first `next()`); pages are read as the caller consumes them.
 */
export function iterateItems(
  db: DataSource,
  tenantIdInput: string,
  options: ItemQuery & { pageSize?: number },
): AsyncIterable<InventoryItem> {
  const tenantId = parseTenantId(tenantIdInput);
  const bag = optionsArgument(options, 'iterateItems options');
  if (bag.pageSize !== undefined && typeof bag.pageSize !== 'number') {
    throw new InvalidInputError('pageSize must be a number');
  }
  const pageSize = bag.pageSize === undefined ? ITERATE_PAGE_SIZE : parsePageLimit(bag.pageSize, 'pageSize');
  const first = parseQuery(bag);
  return {
    async *[Symbol.asyncIterator]() {
      let query = first;
      for (;;) {
        const page = await readPage(db, tenantId, query, pageSize);
        yield* page.items;
        if (page.nextCursor === null) return;
        // The tag is resolved once, so a tag renamed during a long export does not change the listing.
        const scopeTagId = page.scopeTag?.id ?? query.filters.scopeTagId;
        query = {
          filters: { ...query.filters, ...(scopeTagId !== undefined && { scopeTagId }) },
          after: page.nextCursor,
          scopeTag: undefined,
          countLeftOut: false,
        };
      }
    },
  };
}

/** Backs `InventoryClient.getItem`. */
export async function getItem(
  db: DataSource,
  tenantIdInput: string,
  policyTypeInput: string,
  externalIdInput: string,
): Promise<InventoryItem> {
  const tenantId = parseTenantId(tenantIdInput);
  const policyType = parsePolicyType('policy type', policyTypeInput);
  const externalId = parseExternalId('external id', externalIdInput);
  const item = await orDbError(
    'cannot read the item',
    withTenant(db, tenantId, async (tx) => {
      const row = await getItemRow(tx, tenantId, policyType, externalId);
      if (!row) await requireTenant(tx, tenantId);
      return row;
    }),
  );
  if (!item) throw new ItemNotFoundError(policyType, externalId);
  return item;
}
