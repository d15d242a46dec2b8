/** The `inventory_items` row as TypeScript sees it, and the SQL that selects it. */
import { type Category, type Platform, type PolicyType } from '../../inventory/policy-types';

export interface InventoryItemRow {
  /** bigint identity, as a string. */
  id: string;
  tenantId: string;
  policyType: PolicyType;
  externalId: string;
  displayName: string;
  platform: Platform | null;
  category: Category | null;
  /** `meta_jsonb`: the registry's whitelisted metadata. */
  meta: Record<string, unknown>;
  lastSeenAt: Date;
  lastSeenRunId: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface InventoryItemDbRow {
  id: string;
  tenant_id: string;
  policy_type: PolicyType;
  external_id: string;
  display_name: string;
  platform: Platform | null;
  category: Category | null;
  meta_jsonb: Record<string, unknown>;
  last_seen_at: Date;
  last_seen_run_id: string;
  created_at: Date;
  updated_at: Date;
}

export const INVENTORY_ITEM_COLUMNS = `id, tenant_id, policy_type, external_id, display_name, platform, category,
  meta_jsonb, last_seen_at, last_seen_run_id, created_at, updated_at`;

export function toInventoryItemRow(row: InventoryItemDbRow): InventoryItemRow {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    policyType: row.policy_type,
    externalId: row.external_id,
    displayName: row.display_name,
    platform: row.platform,
    category: row.category,
    meta: row.meta_jsonb,
    lastSeenAt: row.last_seen_at,
    lastSeenRunId: row.last_seen_run_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
