/**
 * What an assignment answer says about the policy types it cannot vouch for (the client's
 * `typesNotCovered`): the human closing lines and the `--json` field `types_not_covered`. Before a
 * group is deleted, "no policy targets it" must not be read off an answer that never looked at
 * some types, or whose latest look at them failed.
 */
import { type TypeNotCovered } from '../client';
import { relativeAge } from './relative-age';

/** `types_not_covered` of `--json`: one record per type, `since` as ISO 8601 UTC text. */
export function typesNotCoveredRecords(
  types: readonly TypeNotCovered[],
): Array<{ policy_type: string; outcome: string | null; since: string | null }> {
  return types.map((t) => ({
    policy_type: t.policyType,
    outcome: t.outcome,
    since: t.since?.toISOString() ?? null,
  }));
}

/** An outcome as a person reads it: `not licensed`. */
const outcomeText = (outcome: string): string => outcome.replaceAll('_', ' ');

/**
 * One line naming the types not covered, with `what` what their policies may do unlisted ("target
 * this group"): `not complete (may also target this group): deviceManagementScript (forbidden);
 * never enumerated: …`. Null when every type is covered.
 */
export function typesNotCoveredLine(types: readonly TypeNotCovered[], what: string): string | null {
  const parts: string[] = [];
  const failed = types.flatMap((t) =>
    t.outcome === null ? [] : [`${t.policyType} (${outcomeText(t.outcome)})`],
  );
  if (failed.length > 0) parts.push(`not complete (may also ${what}): ${failed.join(', ')}`);
  const never = types.filter((t) => t.outcome === null).map((t) => t.policyType);
  if (never.length > 0) parts.push(`never enumerated: ${never.join(', ')}`);
  return parts.length === 0 ? null : parts.join('; ');
}

/** One item's line when its own type is not covered (its edges may be out of date); null when covered. */
export function itemTypeNotCoveredLine(types: readonly TypeNotCovered[], now: Date): string | null {
  const own = types[0];
  if (!own) return null;
  if (own.outcome === null) {
    return `${own.policyType} was never enumerated by a finished run: these assignments may be out of date`;
  }
  const when = own.since === null ? '' : `, ${relativeAge(own.since, now)}`;
  return (
    `${own.policyType} was not completely enumerated in its latest run (${outcomeText(own.outcome)}${when}): ` +
    'these assignments may be out of date'
  );
}
