/**
 * An assignment edge as the CLI prints it in `--json` and CSV: snake_case names like the items'
 * records (cli/item-records.ts), times as ISO 8601 UTC text; in CSV, booleans as `true`/`false`
 * and unknown ones (null) as an empty cell.
 */
import { type AssignmentEdge } from '../client';
import { type RecordShape } from './item-export';

/** The fields of an edge record, in the order JSON and CSV write them. */
export const ASSIGNMENT_FIELDS = [
  'policy_type',
  'external_id',
  'display_name',
  'type_has_assignments',
  'assignment_id',
  'target_kind',
  'target_type',
  'group_id',
  'group_display_name',
  'filter_id',
  'filter_display_name',
  'filter_type',
  'intent',
  'source',
  'source_id',
  'assignments_observed_at',
  'assignments_run_id',
  'type_complete_when_observed',
  'assignments_outdated',
] as const;

export type AssignmentRecord = Record<(typeof ASSIGNMENT_FIELDS)[number], string | boolean | null>;

/** `edge` as a record of ASSIGNMENT_FIELDS, in that order. */
export function assignmentRecord(edge: AssignmentEdge): AssignmentRecord {
  return {
    policy_type: edge.policyType,
    external_id: edge.externalId,
    display_name: edge.displayName,
    type_has_assignments: edge.typeHasAssignments,
    assignment_id: edge.assignmentId,
    target_kind: edge.targetKind,
    target_type: edge.targetType,
    group_id: edge.groupId,
    group_display_name: edge.groupDisplayName,
    filter_id: edge.filterId,
    filter_display_name: edge.filterDisplayName,
    filter_type: edge.filterType,
    intent: edge.intent,
    source: edge.source,
    source_id: edge.sourceId,
    assignments_observed_at: edge.assignmentsObservedAt.toISOString(),
    assignments_run_id: edge.assignmentsRunId,
    type_complete_when_observed: edge.typeCompleteWhenObserved,
    assignments_outdated: edge.assignmentsOutdated,
  };
}

/** How `inventory assignments --format csv` writes edges. */
export const ASSIGNMENT_SHAPE: RecordShape<AssignmentEdge> = {
  columns: ASSIGNMENT_FIELDS,
  csv: (edge) =>
    Object.fromEntries(
      Object.entries(assignmentRecord(edge)).map(([key, value]) => [
        key,
        typeof value === 'boolean' ? String(value) : value,
      ]),
    ),
  json: assignmentRecord,
};
