/** The `inventory_items` table as TypeScript sees it: its columns and its row. */
import { type Category, type Platform, type PolicyType } from '../../inventory/policy-types';
import { column, defineTable, type RowOf } from '../table';

export const INVENTORY_ITEMS = defineTable('inventory_items', {
  /** bigint identity, as a string. */
  id: column<string>('id'),
  tenantId: column<string>('tenant_id'),
  policyType: column<PolicyType>('policy_type'),
  externalId: column<string>('external_id'),
  displayName: column<string>('display_name'),
  platform: column<Platform | null>('platform'),
  category: column<Category | null>('category'),
  /** `meta_jsonb`: the registry's whitelisted metadata. */
  meta: column<Record<string, unknown>>('meta_jsonb'),
  lastSeenAt: column<Date>('last_seen_at'),
  lastSeenRunId: column<string>('last_seen_run_id'),
  createdAt: column<Date>('created_at'),
  updatedAt: column<Date>('updated_at'),
  /** The stamp its current edges carry (migration 1795478400008); null: never observed. */
  assignmentsObservationId: column<string | null>('assignments_observation_id'),
  /** When the item's assignments were last observed (its current edges); null: never. */
  assignmentsObservedAt: column<Date | null>('assignments_observed_at'),
  /** The run that last observed the item's assignments; null: never. */
  assignmentsRunId: column<string | null>('assignments_run_id'),
});

export type InventoryItemRow = RowOf<typeof INVENTORY_ITEMS>;
