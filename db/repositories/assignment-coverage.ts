/**
 * Which policy types an assignment answer cannot vouch for: of the types whose items have
 * assignments, those whose latest per-type outcome is not `complete` (their items, and so their
 * edges, may be missing or out of date) and those no finished run ever enumerated (their edges were
 * never looked at). An answer to "which policies target this group" that lists no policy of such a
 * type does not mean none targets it.
 *
 * One statement (getTypeCoverage) in the caller's `withTenant` transaction.
 */
import { type PolicyType } from '../../inventory/policy-types';
import { type TenantManager } from '../tenant-scope';
import { getTypeCoverage } from './coverage';
import { type TypeOutcome } from './sync-run-type-row';

/** A policy type with assignments that an answer does not cover. */
export interface TypeNotCovered {
  policyType: PolicyType;
  /** Its latest outcome, never `complete`; null: no finished run ever had the type in scope. */
  outcome: TypeOutcome | null;
  /** When that outcome was recorded (its enumeration, or its run, ended); null when never enumerated. */
  since: Date | null;
}

/**
 * The types of `types` (policy types with assignments) not covered, in registry order (by key): the
 * latest outcome is not `complete`, or there is none.
 */
export async function listTypesNotCovered(
  manager: TenantManager,
  tenantId: string,
  types: readonly PolicyType[],
): Promise<TypeNotCovered[]> {
  const wanted = new Set(types);
  const rows = await getTypeCoverage(manager, tenantId);
  return rows
    .filter((row) => wanted.has(row.policyType) && row.lastAttemptOutcome !== 'complete')
    .map((row) => ({
      policyType: row.policyType,
      outcome: row.lastAttemptOutcome,
      since: row.lastAttemptOutcome === null ? null : row.lastAttemptFinishedAt,
    }));
}
