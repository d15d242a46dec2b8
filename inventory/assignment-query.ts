/**
 * The inputs of assignment reads (`inventory assignments`, `inventory items --unassigned` and
 * `--scope-tag`, the client's listAssignmentsBy…, getItemAssignments and the items filters), read
 * one strict way for the CLI, the client and the repository, like inventory/item-query.ts: a group
 * id, an assignment filter id and a scope tag. Each failure is `invalid_input` with a one-line
 * message naming the input that never quotes more than a bounded part of it.
 *
 * Pure: safe to import anywhere.
 */
import { boundedEcho } from './bounded-echo';
import { hasControlCharacters } from './control-characters';
import { InventoryError } from './error-codes';
import { POLICY_TYPE_KEYS, policyType, type PolicyType } from './policy-types';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Longest scope tag name or id accepted, in UTF-16 units: Intune's display names are far shorter. */
export const MAX_SCOPE_TAG_INPUT = 256;

/**
 * An Entra object id (a group) or an Intune assignment filter id: a GUID, lower-cased, the form
 * Graph returns and edges store (`target.groupId`, `…AssignmentFilterId`); `invalid_input` naming
 * `label` otherwise.
 */
export function parseObjectId(label: string, value: unknown): string {
  if (typeof value !== 'string' || !GUID.test(value)) {
    const got = typeof value === 'string' ? ` (got ${boundedEcho(value, { quote: true, max: 80 })})` : '';
    throw new InventoryError(
      'invalid_input',
      `${label} must be a GUID such as 00000000-0000-0000-0000-000000000000${got}`,
    );
  }
  return value.toLowerCase();
}

/**
 * A scope tag as a person names it: its id (`0` is Intune's Default) or its display name, 1 to
 * MAX_SCOPE_TAG_INPUT characters, not blank, without control characters, and exactly as given:
 * surrounding whitespace is refused, not trimmed, as other numeric and text inputs are (`' 5 '`
 * is no limit), so `" 1"` is never silently taken for tag 1.
 */
export function parseScopeTagInput(label: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim().length === 0 || !value.isWellFormed()) {
    throw new InventoryError('invalid_input', `${label} must be a scope tag id or name, not blank`);
  }
  if (value.length > MAX_SCOPE_TAG_INPUT) {
    throw new InventoryError(
      'invalid_input',
      `${label} is ${value.length} characters long; a scope tag id or name has at most ${MAX_SCOPE_TAG_INPUT}`,
    );
  }
  if (hasControlCharacters(value)) {
    throw new InventoryError('invalid_input', `${label} must not contain control characters`);
  }
  if (value !== value.trim()) {
    throw new InventoryError('invalid_input', `${label} must not begin or end with whitespace`);
  }
  return value;
}

/**
 * The metadata keys that hold an item's scope tag ids, as Graph names them: `roleScopeTagIds` on
 * most types, `roleScopeTags` on assignmentFilter and policySet, `scopeIds` on Windows 365's
 * (inventory/policy-types/windows365.ts). A type has one of them.
 */
export const SCOPE_TAG_KEYS = ['roleScopeTagIds', 'roleScopeTags', 'scopeIds'] as const;

/** Whether items of `type` have assignments (the registry's `assignments` is set). */
export function typeHasAssignments(type: PolicyType): boolean {
  return policyType(type).assignments !== undefined;
}

/** The policy types whose items have assignments, in POLICY_TYPE_KEYS order. */
export const TYPES_WITH_ASSIGNMENTS: readonly PolicyType[] = POLICY_TYPE_KEYS.filter(typeHasAssignments);
