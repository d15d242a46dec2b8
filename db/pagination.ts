/**
 * Keyset pagination shared by the list queries: page limits, and opaque cursors (base64url JSON
 * of the last row's sort key, tagged with the list they belong to so one list's cursor is refused
 * by another). Timestamps travel as ISO-8601 UTC text with microseconds, the precision PostgreSQL
 * stores, so a cursor never skips or repeats rows that differ below a millisecond.
 *
 * A cursor comes back from outside, so it is checked in full before any of it reaches SQL: a
 * forged one is `invalid_input`, never a database error.
 */
import { InventoryError } from '../inventory/error-codes';
import { MAX_EXTERNAL_ID } from '../inventory/item';
import { parseIsoInstant } from '../inventory/iso-instant';
import { isPolicyType } from '../inventory/policy-types';
import { parseWholeNumber } from '../inventory/whole-number';

export const MAX_PAGE_LIMIT = 1000;

/**
 * Longer than any cursor encodeCursor makes (the longest key, the missing list's, is under 2,000
 * characters even when its item id is 256 escaped control characters).
 */
export const MAX_CURSOR_LENGTH = 4096;

/** What each part of a cursor's sort key must be before it reaches SQL. */
export type CursorPart = 'text' | 'timestamp' | 'uuid' | 'policyType';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A cursor timestamp as encodeCursor writes it (microseconds, UTC) that names a real instant. */
function isTimestamp(value: string): boolean {
  return TIMESTAMP.test(value) && parseIsoInstant(value) !== null;
}

/**
 * Text no longer than an item id, that PostgreSQL takes as a parameter: no U+0000 and no lone surrogate. Other control characters
 * stay allowed: item ids from Graph may hold them (only U+0000 is stripped on ingest), and a
 * cursor must be able to continue after such an item.
 */
function isText(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return value.length <= MAX_EXTERNAL_ID && !/\u0000/.test(value) && value.isWellFormed();
}

const PART_CHECK: Record<CursorPart, (value: string) => boolean> = {
  text: isText,
  timestamp: isTimestamp,
  uuid: (value) => UUID.test(value),
  policyType: isPolicyType,
};

/**
 * A page size: a whole number from 1 to MAX_PAGE_LIMIT, as a number or in plain digits;
 * `invalid_input` naming `label` (`limit`, `--limit`) otherwise.
 */
export function parsePageLimit(value: unknown, label = 'limit'): number {
  return parseWholeNumber(label, value, { min: 1, max: MAX_PAGE_LIMIT });
}

/**
 * `value` when it has a cursor's form (base64url, 1 to MAX_CURSOR_LENGTH characters); `invalid_input`
 * naming `label` otherwise. Which list it belongs to is decodeCursor's check.
 */
export function parseCursorText(value: unknown, label = 'cursor'): string {
  if (typeof value !== 'string' || value.length > MAX_CURSOR_LENGTH || !BASE64URL.test(value)) {
    throw new InventoryError(
      'invalid_input',
      `${label} must be a cursor as printed by the previous page (letters, digits, - and _; at most ${MAX_CURSOR_LENGTH})`,
    );
  }
  return value;
}

/** The cursor of the last row's sort key `key` in list `list`; decodeCursor accepts it only for that list. */
export function encodeCursor(list: string, key: readonly string[]): string {
  return Buffer.from(JSON.stringify([list, ...key]), 'utf8').toString('base64url');
}

/**
 * The sort key of a cursor made by `encodeCursor(list, …)`, checked part by part; `invalid_input`
 * for anything else (another list's cursor, a malformed or forged one).
 */
export function decodeCursor<const P extends readonly CursorPart[]>(
  list: string,
  cursor: unknown,
  parts: P,
): { [K in keyof P]: string } {
  const text = parseCursorText(cursor);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const key = Array.isArray(parsed) && parsed[0] === list ? (parsed.slice(1) as unknown[]) : [];
  const valid =
    key.length === parts.length &&
    key.every((value, i) => typeof value === 'string' && PART_CHECK[parts[i]!](value));
  if (!valid) {
    throw new InventoryError(
      'invalid_input',
      `the cursor is not a valid ${list} cursor; list again from the start`,
    );
  }
  return key as { [K in keyof P]: string };
}

/** SQL rendering a timestamptz column as cursor text; `$n::timestamptz` reads it back exactly. */
export function cursorTimestampSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
