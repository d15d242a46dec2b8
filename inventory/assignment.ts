/**
 * What one assignment of an inventory item is once it leaves the Graph layer: the edge from a
 * policy to what it targets. Graph's assignment entities (`deviceConfigurationAssignment`,
 * `mobileAppAssignment`, …) share `id` and `target`; some add `intent`, `source` and `sourceId`.
 * Targets are `deviceAndAppManagementAssignmentTarget`s (learn.microsoft.com/graph/api/resources/
 * intune-shared-deviceandappmanagementassignmenttarget?view=graph-rest-beta): the group kinds carry
 * `groupId`, and every kind may carry an assignment filter (`deviceAndAppManagementAssignmentFilterId`
 * and `…FilterType` none/include/exclude). Only these facts are kept; assignment `settings` (app
 * install settings) are never stored.
 *
 * Pure: safe to import anywhere, including workflow code.
 */
import { z } from 'zod';
import { sanitizeText } from './postgres-text';

/** Target kinds named here; any other target is kept under its `@odata.type` without the namespace. */
export const NAMED_TARGET_KINDS = ['group', 'exclusionGroup', 'allDevices', 'allLicensedUsers'] as const;

/** Graph's `deviceAndAppManagementAssignmentFilterType`. */
export const FILTER_TYPES = ['none', 'include', 'exclude'] as const;
export type FilterType = (typeof FILTER_TYPES)[number];

export interface NormalizedAssignment {
  /** Graph's id of the assignment, or `target:<sha-like key>` of its target when Graph gave none. */
  readonly assignment_id: string;
  /** `group`, `exclusionGroup`, `allDevices`, `allLicensedUsers`, or the target's type name. */
  readonly target_kind: string;
  /** The target's `@odata.type` as Graph sent it, e.g. `#microsoft.graph.groupAssignmentTarget`. */
  readonly target_type: string | null;
  /** The Entra group targeted or excluded (`target.groupId`). */
  readonly group_id: string | null;
  /** `target.deviceAndAppManagementAssignmentFilterId`; null without a filter. */
  readonly filter_id: string | null;
  /** `target.deviceAndAppManagementAssignmentFilterType`; `none` without a filter. */
  readonly filter_type: FilterType;
  /** The assignment's `intent` (apps: required, available, uninstall, …; configurations: apply, remove). */
  readonly intent: string | null;
  /** The assignment's `source`: `direct` or `policySets`, where Graph gives it. */
  readonly source: string | null;
  /** The assignment's `sourceId`: the policy set's id when `source` is `policySets`. */
  readonly source_id: string | null;
}

export const MAX_ASSIGNMENT_TEXT = 256;

const KIND_OF_TYPE: Record<string, (typeof NAMED_TARGET_KINDS)[number]> = {
  groupAssignmentTarget: 'group',
  exclusionGroupAssignmentTarget: 'exclusionGroup',
  allDevicesAssignmentTarget: 'allDevices',
  allLicensedUsersAssignmentTarget: 'allLicensedUsers',
  // Windows 365 targets a group through its own target type (cloudPcManagementGroupAssignmentTarget).
  cloudPcManagementGroupAssignmentTarget: 'group',
};

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const clean = sanitizeText(value.trim(), MAX_ASSIGNMENT_TEXT);
  return clean.length === 0 ? null : clean;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A GUID in lower case, as Graph writes them and as lookups by group or filter id expect. */
function guidText(value: unknown): string | null {
  const clean = text(value);
  return clean !== null && GUID.test(clean) ? clean.toLowerCase() : clean;
}

const assignmentSchema = z.looseObject(
  { target: z.looseObject({}, { error: 'assignment has no target' }) },
  { error: 'assignment is not an object' },
);

/**
 * Turns one raw Graph assignment into an edge, or says why it cannot be one (not an object, no
 * target); the caller counts that, it never throws. A target without `@odata.type` but with a
 * `groupId` is a group target (some services omit the type on the base kind).
 */
export function normalizeAssignment(
  raw: unknown,
): { ok: true; assignment: NormalizedAssignment } | { ok: false; reason: string } {
  const parsed = assignmentSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues[0]!.message };
  const record = raw as Record<string, unknown>;
  const target = record.target as Record<string, unknown>;
  const targetType = text(target['@odata.type']);
  const typeName = targetType?.replace(/^#?microsoft\.graph\./, '') ?? null;
  const groupId = guidText(target.groupId);
  const kind =
    typeName === null ? (groupId === null ? 'unknown' : 'group') : (KIND_OF_TYPE[typeName] ?? typeName);
  const filterId = guidText(target.deviceAndAppManagementAssignmentFilterId);
  const rawFilterType = text(target.deviceAndAppManagementAssignmentFilterType);
  const filterType: FilterType =
    filterId === null
      ? 'none'
      : (FILTER_TYPES as readonly string[]).includes(rawFilterType ?? '')
        ? (rawFilterType as FilterType)
        : 'none';
  const id =
    text(record.id) ?? `target:${[kind, groupId ?? '', filterId ?? '', text(record.intent) ?? ''].join(':')}`;
  return {
    ok: true,
    assignment: {
      assignment_id: id,
      target_kind: kind,
      target_type: targetType,
      group_id: groupId,
      filter_id: filterId,
      filter_type: filterType,
      intent: text(record.intent),
      source: text(record.source),
      source_id: text(record.sourceId),
    },
  };
}
