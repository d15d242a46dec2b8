/**
 * The inputs of inventory item reads (`inventory items`, `inventory item`, the client's listItems,
 * iterateItems and getItem), read one strict way for the CLI, the client and the repository: a
 * search text, a "changed since" instant, one policy type and one item id. Each failure is
 * `invalid_input` with a one-line message naming the input (`--search`, `search`) that never
 * quotes more than a bounded part of it.
 *
 * Pure: safe to import anywhere.
 */
import { hasControlCharacters } from './control-characters';
import { parseIsoInstant } from './iso-instant';
import { parseDuration, parseDurationInput, type DurationRange } from './duration';
import { InventoryError } from './error-codes';
import { MAX_EXTERNAL_ID } from './item';
import { isPolicyType, type PolicyType } from './policy-types';
import { unknownPolicyTypesMessage } from './selection';

/** Longest search text, in Unicode code points: a display name is at most 1,024, an id 256. */
export const MAX_SEARCH_LENGTH = 256;

/** How far back `--changed-since 30d` may reach: ten years, more than any inventory holds. */
export const CHANGED_SINCE_RANGE: DurationRange = { minMs: 0, maxMs: 3650 * 86_400_000, text: 'up to 3650d' };

/**
 * Text to find in items' display names and ids (case-insensitive, as a plain substring): a string
 * of 1 to MAX_SEARCH_LENGTH code points, not blank, without control characters (no name a person
 * types holds them, and NUL would not reach PostgreSQL) or lone surrogates.
 */
export function parseSearchText(label: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim().length === 0 || !value.isWellFormed()) {
    throw new InventoryError('invalid_input', `${label} must be text to search for, not blank`);
  }
  const length = value.length <= MAX_SEARCH_LENGTH ? value.length : [...value].length;
  if (length > MAX_SEARCH_LENGTH) {
    throw new InventoryError(
      'invalid_input',
      `${label} is ${length} characters long; search for at most ${MAX_SEARCH_LENGTH}`,
    );
  }
  if (hasControlCharacters(value)) {
    throw new InventoryError('invalid_input', `${label} must not contain control characters`);
  }
  return value;
}

/**
 * The instant items must have changed at or after: a Date, an ISO 8601 time (`2026-05-01`,
 * midnight UTC; `2026-05-01T08:00:00Z`; `2026-05-01T10:00+02:00`), or a duration before `now`
 * (`24h`, `7d`, within CHANGED_SINCE_RANGE). `invalid_input` naming `label` otherwise.
 */
export function parseChangedSince(label: string, value: unknown, now: Date): Date {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime()))
      throw new InventoryError('invalid_input', `${label} is an invalid Date`);
    return value;
  }
  if (typeof value === 'string') {
    const instant = parseIsoInstant(value);
    if (instant) return instant;
    // A duration beyond the range is told so, rather than that it is no time at all.
    if (parseDuration(value) !== null) {
      return new Date(now.getTime() - parseDurationInput(label, value, CHANGED_SINCE_RANGE));
    }
  }
  throw new InventoryError(
    'invalid_input',
    `${label} must be an ISO 8601 time (2026-05-01, 2026-05-01T08:00:00Z) or a duration ago such as 24h or 7d`,
  );
}

/** One policy type of the registry; `invalid_input` naming `label` and the likely meant one otherwise. */
export function parsePolicyType(label: string, value: unknown): PolicyType {
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw new InventoryError(
      'invalid_input',
      `${label} must name a policy type (see inventory policy-types)`,
    );
  }
  if (!isPolicyType(value)) {
    // 80 code points at most, like every id the client quotes back.
    throw new InventoryError('invalid_input', `${label}: ${unknownPolicyTypesMessage([value], 80)}`);
  }
  return value;
}

/**
 * An item's Graph id as stored: 1 to MAX_EXTERNAL_ID UTF-16 units, not blank (ids are trimmed on
 * ingest), without U+0000 or lone surrogates (PostgreSQL stores neither). Other control characters
 * are allowed: a Graph id may hold them, and such an item must still be found.
 */
export function parseExternalId(label: string, value: unknown): string {
  const valid =
    typeof value === 'string' &&
    value.trim().length > 0 &&
    value.length <= MAX_EXTERNAL_ID &&
    !value.includes('\u0000') &&
    value.isWellFormed();
  if (!valid) {
    throw new InventoryError(
      'invalid_input',
      `${label} must be an item id of 1 to ${MAX_EXTERNAL_ID} characters, not blank, without NUL`,
    );
  }
  return value;
}
