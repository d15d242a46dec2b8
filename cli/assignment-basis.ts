/**
 * The last line of a human answer about assignment edges: what the answer rests on — when the
 * edges were observed, which policy types were not completely enumerated by the runs that observed
 * them, and how many policies were seen again since without their assignments being read (their
 * edges are older than the policy). A person reading the table must not take partial knowledge for
 * the whole truth; `--json` carries the same facts per edge.
 */
import { type AssignmentEdge } from '../client';
import { relativeAge } from './relative-age';

type Basis = Pick<
  AssignmentEdge,
  'policyType' | 'externalId' | 'assignmentsObservedAt' | 'typeCompleteWhenObserved' | 'assignmentsOutdated'
>;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The types of `edges` whose typeCompleteWhenObserved is `value`, sorted, once each. */
function typesWhere(edges: readonly Basis[], value: boolean | null): string[] {
  return [
    ...new Set(edges.filter((e) => e.typeCompleteWhenObserved === value).map((e) => e.policyType)),
  ].sort();
}

/** One line on what `edges` rest on; null when there are none. */
export function assignmentBasisLine(edges: readonly Basis[], now: Date = new Date()): string | null {
  if (edges.length === 0) return null;
  const times = edges.map((e) => e.assignmentsObservedAt.getTime());
  const oldest = new Date(Math.min(...times));
  const newest = new Date(Math.max(...times));
  // Compared as shown: instants a few milliseconds apart read the same ("51 s ago"), and "from 51 s
  // ago to 51 s ago" says nothing one time does not.
  const [from, to] = [relativeAge(oldest, now), relativeAge(newest, now)];
  const parts = [from === to ? `edges observed ${to}` : `edges observed from ${from} to ${to}`];
  const incomplete = typesWhere(edges, false);
  if (incomplete.length > 0) {
    parts.push(
      `not completely enumerated then (other policies of them may be missing): ${incomplete.join(', ')}`,
    );
  }
  const unknown = typesWhere(edges, null);
  if (unknown.length > 0)
    parts.push(`no recorded outcome for the run that observed them: ${unknown.join(', ')}`);
  const outdated = new Set(
    edges.filter((e) => e.assignmentsOutdated).map((e) => `${e.policyType}/${e.externalId}`),
  );
  if (outdated.size > 0) {
    parts.push(
      `${plural(outdated.size, 'policy was', 'policies were')} seen again since without reading assignments (edges older)`,
    );
  }
  return parts.join('; ');
}
