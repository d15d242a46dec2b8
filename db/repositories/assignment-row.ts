/** The `inventory_assignments` and `directory_groups` tables as TypeScript sees them. */
import { type FilterType } from '../../inventory/assignment';
import { type PolicyType } from '../../inventory/policy-types';
import { column, defineTable, type RowOf } from '../table';

export const INVENTORY_ASSIGNMENTS = defineTable('inventory_assignments', {
  tenantId: column<string>('tenant_id'),
  policyType: column<PolicyType>('policy_type'),
  /** The assigned item's Graph id. */
  externalId: column<string>('external_id'),
  assignmentId: column<string>('assignment_id'),
  /** inventory/assignment.ts `NormalizedAssignment.target_kind`. */
  targetKind: column<string>('target_kind'),
  targetType: column<string | null>('target_type'),
  groupId: column<string | null>('group_id'),
  filterId: column<string | null>('filter_id'),
  filterType: column<FilterType>('filter_type'),
  intent: column<string | null>('intent'),
  source: column<string | null>('source'),
  sourceId: column<string | null>('source_id'),
  /** Current when equal to its item's `assignments_observation_id`. */
  observationId: column<string>('observation_id'),
  observedAt: column<Date>('observed_at'),
});

export type InventoryAssignmentRow = RowOf<typeof INVENTORY_ASSIGNMENTS>;

export const DIRECTORY_GROUPS = defineTable('directory_groups', {
  tenantId: column<string>('tenant_id'),
  groupId: column<string>('group_id'),
  displayName: column<string>('display_name'),
  observedAt: column<Date>('observed_at'),
});

export type DirectoryGroupRow = RowOf<typeof DIRECTORY_GROUPS>;
