/** The `inventory_sync_run_types` table as TypeScript sees it: how each policy type of a finished run ended. */
import { type ErrorCode } from '../../inventory/error-codes';
import { type PolicyType } from '../../inventory/policy-types';
import { column, defineTable, type RowOf } from '../table';

/**
 * How one policy type's enumeration in a run ended. `complete`: Graph served every page. `forbidden`
 * (`graph_forbidden`) and `not_licensed` (`graph_not_licensed`): Graph refused the type. `failed`:
 * any other failure, with its code. `cancelled`: the run was cancelled before the type ended.
 * `not_attempted`: no request was made for it, after a failure that holds for the whole tenant
 * (`auth_failed`, `intune_not_provisioned`).
 */
export type TypeOutcome =
  'complete' | 'failed' | 'forbidden' | 'not_licensed' | 'cancelled' | 'not_attempted';

export const TYPE_OUTCOMES: readonly TypeOutcome[] = [
  'complete',
  'failed',
  'forbidden',
  'not_licensed',
  'cancelled',
  'not_attempted',
];

export const SYNC_RUN_TYPES = defineTable('inventory_sync_run_types', {
  tenantId: column<string>('tenant_id'),
  runId: column<string>('run_id'),
  policyType: column<PolicyType>('policy_type'),
  outcome: column<TypeOutcome>('outcome'),
  /** The stable code of every outcome but `complete` (null exactly then). */
  errorCode: column<ErrorCode | null>('error_code'),
  pagesCount: column<number>('pages_count'),
  /** Items Graph served with a usable id, all stored. */
  itemsObservedCount: column<number>('items_observed_count'),
  /** Items stored for the first time by this run. */
  itemsNewCount: column<number>('items_new_count'),
  /** Items stored before whose name, platform, category or metadata this run changed. */
  itemsChangedCount: column<number>('items_changed_count'),
  /** Items stored before and observed again as they were. */
  itemsUnchangedCount: column<number>('items_unchanged_count'),
  /** When the type's enumeration ended (the workflow's clock); null when no request was made. */
  finishedAt: column<Date | null>('finished_at'),
});

export type SyncRunType = RowOf<typeof SYNC_RUN_TYPES>;
