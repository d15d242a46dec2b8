/**
 * A selection names what one sync run enumerates: policy types and/or whole categories. Its
 * identity is `selection_hash`, the sha256 of a canonical JSON form, so that the same selection
 * written in any order, with duplicates, always maps to the same hash, the same workflow ID (the
 * lock) and the same history of runs. The hash itself is in selection-hash.ts: this module is pure
 * and also parses workflow input inside Temporal's sandbox.
 */
import { z } from 'zod';
import { boundedEcho, boundedEchoList, MAX_ECHO_LENGTH } from './bounded-echo';
import { InventoryError } from './error-codes';
import {
  CATEGORIES,
  POLICY_TYPE_KEYS,
  isCategory,
  isPolicyType,
  typesInCategory,
  type Category,
  type PolicyType,
} from './policy-types';

/** The canonical selection: both keys present, arrays de-duplicated and sorted by code point. */
export interface Selection {
  readonly categories: readonly Category[];
  readonly policy_types: readonly PolicyType[];
}

/** A selection that names nothing valid: code `invalid_selection`, never retried. */
export class SelectionError extends InventoryError {
  override readonly name = 'SelectionError';
  constructor(message: string) {
    super('invalid_selection', message);
  }
}

const selectionInput = z.strictObject({
  policy_types: z.array(z.string()).optional(),
  categories: z.array(z.string()).optional(),
});

function compareCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = left[i]!.codePointAt(0)! - right[i]!.codePointAt(0)!;
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

function canonicalList<T extends string>(values: readonly T[]): T[] {
  return [...new Set(values)].sort(compareCodePoints);
}

/**
 * The message for policy type names that are not in the registry: the names (at most `max` code
 * points of them), the registry key they likely meant when only the case differs, and where the
 * valid ones are listed.
 */
export function unknownPolicyTypesMessage(unknownTypes: readonly string[], max = MAX_ECHO_LENGTH): string {
  // Listing all ~40 valid keys would drown the one that matters; the likely slip is the case.
  const sameButCase = unknownTypes
    .map((t) => POLICY_TYPE_KEYS.find((key) => key.toLowerCase() === t.toLowerCase()))
    .filter((key) => key !== undefined);
  const suggestion = sameButCase.length > 0 ? ` (did you mean ${boundedEchoList(sameButCase)}?)` : '';
  return `unknown policy type(s) ${boundedEcho(unknownTypes.join(', '), { max })}${suggestion}; valid: the ${POLICY_TYPE_KEYS.length} types \`inventory policy-types\` lists`;
}

/**
 * Validates any input (parsed JSON, CLI flags, client calls) and returns the canonical selection.
 * Every problem is reported in one message that lists the valid values.
 */
export function parseSelection(input: unknown): Selection {
  const parsed = selectionInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') {
      throw new SelectionError(
        `unknown selection key(s) ${boundedEchoList(issue.keys)}; a selection has only "policy_types" and "categories"`,
      );
    }
    throw new SelectionError(
      'a selection is {"policy_types"?: string[], "categories"?: string[]}' +
        (issue.path.length > 0
          ? ` (problem at ${boundedEcho(issue.path.join('.'))}: ${boundedEcho(issue.message)})`
          : ''),
    );
  }
  const policyTypes = parsed.data.policy_types ?? [];
  const categories = parsed.data.categories ?? [];
  const unknownTypes = policyTypes.filter((t) => !isPolicyType(t));
  if (unknownTypes.length > 0) throw new SelectionError(unknownPolicyTypesMessage(unknownTypes));
  const unknownCategories = categories.filter((c) => !isCategory(c));
  if (unknownCategories.length > 0) {
    throw new SelectionError(
      `unknown categor${unknownCategories.length === 1 ? 'y' : 'ies'} ${boundedEchoList(unknownCategories)}; valid: ${CATEGORIES.join(', ')}`,
    );
  }
  if (policyTypes.length === 0 && categories.length === 0) {
    throw new SelectionError('a selection needs at least one policy type or category');
  }
  return {
    categories: canonicalList(categories as Category[]),
    policy_types: canonicalList(policyTypes as PolicyType[]),
  };
}

/** The exact string that is hashed: keys sorted, no whitespace. */
export function canonicalSelectionJson(selection: Selection): string {
  return JSON.stringify({
    categories: canonicalList(selection.categories),
    policy_types: canonicalList(selection.policy_types),
  });
}

/** The policy types a selection covers: its named types plus every type of its named categories. */
export function selectionScope(selection: Selection): PolicyType[] {
  const scope = new Set<PolicyType>(selection.policy_types);
  for (const category of selection.categories) {
    for (const type of typesInCategory(category)) scope.add(type);
  }
  return canonicalList([...scope]);
}
