/**
 * An inventory item as the CLI prints it, in every format: the snake_case names of its columns
 * (like the rest of the CLI's JSON) and times as ISO 8601 UTC text. The internal row id and the
 * tenant (the command names it) are left out.
 */
import { type InventoryItem } from '../client';

/** The fields of an item record, in the order JSON, NDJSON and CSV write them. */
export const ITEM_FIELDS = [
  'policy_type',
  'external_id',
  'display_name',
  'platform',
  'category',
  'last_seen_at',
  'last_seen_run_id',
  'updated_at',
  'created_at',
  'meta',
] as const;

export type ItemRecord = {
  [K in (typeof ITEM_FIELDS)[number]]: K extends 'meta' ? Record<string, unknown> : string | null;
};

/** `item` as a record of ITEM_FIELDS, in that order. */
export function itemRecord(item: InventoryItem): ItemRecord {
  return {
    policy_type: item.policyType,
    external_id: item.externalId,
    display_name: item.displayName,
    platform: item.platform,
    category: item.category,
    last_seen_at: item.lastSeenAt.toISOString(),
    last_seen_run_id: item.lastSeenRunId,
    updated_at: item.updatedAt.toISOString(),
    created_at: item.createdAt.toISOString(),
    meta: item.meta,
  };
}

/**
 * The fields of an `--unassigned` listing's records: an item's, with when its (zero) assignments
 * were observed before `meta` (the table's `assignments_observed`).
 */
export const UNASSIGNED_ITEM_FIELDS = [
  ...ITEM_FIELDS.slice(0, -1),
  'assignments_observed_at',
  'meta',
] as const;

export type UnassignedItemRecord = ItemRecord & { assignments_observed_at: string | null };

/** `item` as a record of UNASSIGNED_ITEM_FIELDS, in that order. */
export function unassignedItemRecord(item: InventoryItem): UnassignedItemRecord {
  const { meta, ...fields } = itemRecord(item);
  return { ...fields, assignments_observed_at: item.assignmentsObservedAt?.toISOString() ?? null, meta };
}
