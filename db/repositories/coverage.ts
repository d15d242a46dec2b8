/**
 * Which policy types of a tenant can be trusted, and since when, read from the per-type outcomes
 * of its runs (`inventory_sync_run_types`): per type, the latest complete enumeration, the latest
 * attempt, and the items present now (`getTypeCoverage`); per tenant, the same folded into one line
 * (`getTenantStatus`). Each is one statement in the caller's `withTenant` transaction
 * (db/tenant-scope.ts), so row-level security admits that tenant's rows only.
 *
 * Both only know the registry's policy types: rows of a type the registry no longer has are left
 * out, as no selection can name it.
 */
import { type ErrorCode } from '../../inventory/error-codes';
import { POLICY_TYPE_KEYS, type PolicyType } from '../../inventory/policy-types';
import { parseTenantId } from '../../inventory/tenant-id';
import { queryRows } from '../sql';
import { column, defineTable, type RowOf } from '../table';
import { type TenantManager } from '../tenant-scope';
import { type TypeOutcome } from './sync-run-type-row';

/**
 * The latest outcome of each policy type of the tenant: by when its enumeration ended, or for a
 * type never requested (`not_attempted`), when its run ended. `$1` the tenant, `$2` the types.
 */
const LAST_ATTEMPT_SQL = `
  SELECT DISTINCT ON (t.policy_type) t.policy_type, t.run_id, t.outcome, t.error_code,
         COALESCE(t.finished_at, r.finished_at) AS finished_at
  FROM inventory_sync_run_types t
  JOIN inventory_sync_runs r ON r.tenant_id = t.tenant_id AND r.id = t.run_id
  WHERE t.tenant_id = $1 AND t.policy_type = ANY($2::text[])
  ORDER BY t.policy_type, COALESCE(t.finished_at, r.finished_at) DESC NULLS LAST, r.created_at DESC`;

/** The latest complete enumeration of each policy type (`inventory_sync_run_types_latest_idx`). */
const LAST_COMPLETE_SQL = `
  SELECT DISTINCT ON (policy_type) policy_type, run_id, finished_at
  FROM inventory_sync_run_types
  WHERE tenant_id = $1 AND policy_type = ANY($2::text[]) AND outcome = 'complete'
  ORDER BY policy_type, finished_at DESC NULLS LAST`;

/**
 * Outcomes that count as a type failing: every one but `complete`, and but `cancelled` (someone
 * stopped the run; nothing is wrong with the type).
 */
const FAILING_OUTCOMES_SQL = `('failed', 'forbidden', 'not_licensed', 'not_attempted')`;

const TYPE_COVERAGE = defineTable('type coverage', {
  policyType: column<PolicyType>('policy_type'),
  lastCompleteRunId: column<string | null>('last_complete_run_id'),
  lastCompleteFinishedAt: column<Date | null>('last_complete_finished_at'),
  itemsPresentCount: column<number>('items_present_count'),
  lastAttemptRunId: column<string | null>('last_attempt_run_id'),
  lastAttemptOutcome: column<TypeOutcome | null>('last_attempt_outcome'),
  lastAttemptErrorCode: column<ErrorCode | null>('last_attempt_error_code'),
  lastAttemptFinishedAt: column<Date | null>('last_attempt_finished_at'),
});

/**
 * One policy type of a tenant, flat as the statement returns it: its latest complete enumeration
 * (null: never completely enumerated), how many of its items the inventory holds now, and its
 * latest attempt (null: never in a finished run's scope) with its outcome and code (null when
 * complete).
 */
export type TypeCoverageRow = RowOf<typeof TYPE_COVERAGE>;

/** Every registry policy type of the tenant, in registry order (by key), in one statement. */
export async function getTypeCoverage(manager: TenantManager, tenantId: string): Promise<TypeCoverageRow[]> {
  const rows = await queryRows<Record<string, unknown>>(
    manager,
    `WITH types AS (SELECT policy_type, ord FROM unnest($2::text[]) WITH ORDINALITY AS t(policy_type, ord)),
          last_attempt AS (${LAST_ATTEMPT_SQL}),
          last_complete AS (${LAST_COMPLETE_SQL}),
          present AS (
            SELECT policy_type, count(*)::int AS n FROM inventory_items
            WHERE tenant_id = $1 GROUP BY policy_type)
     SELECT types.policy_type,
            c.run_id AS last_complete_run_id, c.finished_at AS last_complete_finished_at,
            COALESCE(p.n, 0) AS items_present_count,
            a.run_id AS last_attempt_run_id, a.outcome AS last_attempt_outcome,
            a.error_code AS last_attempt_error_code, a.finished_at AS last_attempt_finished_at
     FROM types
     LEFT JOIN last_complete c USING (policy_type)
     LEFT JOIN last_attempt a USING (policy_type)
     LEFT JOIN present p USING (policy_type)
     ORDER BY types.ord`,
    [parseTenantId(tenantId), POLICY_TYPE_KEYS],
  );
  return rows.map(TYPE_COVERAGE.fromDb);
}

const TENANT_STATUS = defineTable('tenant status', {
  lastSuccessfulSyncAt: column<Date | null>('last_successful_sync_at'),
  typesCount: column<number>('types_count'),
  neverCompleteTypesCount: column<number>('never_complete_types_count'),
  oldestCompleteEnumerationAt: column<Date | null>('oldest_complete_enumeration_at'),
  typesFailingCount: column<number>('types_failing_count'),
  dominantErrorCode: column<ErrorCode | null>('dominant_error_code'),
});

/**
 * A tenant's trust in one line. Its types are the policy types any of its finished runs had in
 * scope. `oldestCompleteEnumerationAt` is the oldest of their latest complete enumerations, and
 * null when one of them was never completely enumerated or the tenant has no such type yet (never
 * is worse than any time). `typesFailingCount`: types whose latest attempt did not complete
 * (a cancelled one aside); `dominantErrorCode`: the code most of those share (ties by name).
 * `lastSuccessfulSyncAt`: when its latest `success` run finished.
 */
export type TenantStatusRow = RowOf<typeof TENANT_STATUS>;

/** The tenant's status line (see TenantStatusRow), in one statement. */
export async function getTenantStatus(manager: TenantManager, tenantId: string): Promise<TenantStatusRow> {
  const [row] = await queryRows<Record<string, unknown>>(
    manager,
    `WITH last_attempt AS (${LAST_ATTEMPT_SQL}),
          last_complete AS (${LAST_COMPLETE_SQL})
     SELECT (SELECT max(finished_at) FROM inventory_sync_runs WHERE tenant_id = $1 AND status = 'success')
              AS last_successful_sync_at,
            count(*)::int AS types_count,
            count(*) FILTER (WHERE c.finished_at IS NULL)::int AS never_complete_types_count,
            CASE WHEN count(*) > 0 AND count(*) FILTER (WHERE c.finished_at IS NULL) = 0
                 THEN min(c.finished_at) END AS oldest_complete_enumeration_at,
            count(*) FILTER (WHERE a.outcome IN ${FAILING_OUTCOMES_SQL})::int AS types_failing_count,
            (SELECT error_code FROM last_attempt WHERE outcome IN ${FAILING_OUTCOMES_SQL}
             GROUP BY error_code ORDER BY count(*) DESC, error_code LIMIT 1) AS dominant_error_code
     FROM last_attempt a
     LEFT JOIN last_complete c USING (policy_type)`,
    [parseTenantId(tenantId), POLICY_TYPE_KEYS],
  );
  return TENANT_STATUS.fromDb(row!);
}
