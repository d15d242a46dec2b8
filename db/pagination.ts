/**
 * Keyset pagination shared by the list queries: page limits, and opaque cursors (base64url JSON
 * of the last row's sort key, tagged with the list they belong to so one list's cursor is refused
 * by another). Timestamps travel as ISO-8601 UTC text with microseconds, the precision PostgreSQL
 * stores, so a cursor never skips or repeats rows that differ below a millisecond.
 */
import { InventoryError } from '../inventory/error-codes';

export const MAX_PAGE_LIMIT = 1000;

/** What each part of a cursor's sort key must look like before it reaches SQL. */
export type CursorPart = 'text' | 'timestamp' | 'uuid';

const PART_FORMAT: Record<CursorPart, RegExp> = {
  text: /^[\s\S]*$/,
  timestamp: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
};

/** `limit` unchanged when it is a whole number from 1 to MAX_PAGE_LIMIT; `invalid_input` otherwise. */
export function parsePageLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new InventoryError('invalid_input', `limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}`);
  }
  return limit;
}

/** The cursor of the last row's sort key `key` in list `list`; decodeCursor accepts it only for that list. */
export function encodeCursor(list: string, key: readonly string[]): string {
  return Buffer.from(JSON.stringify([list, ...key]), 'utf8').toString('base64url');
}

/** The sort key of a cursor made by `encodeCursor(list, …)`, checked part by part. */
export function decodeCursor<const P extends readonly CursorPart[]>(
  list: string,
  cursor: string,
  parts: P,
): { [K in keyof P]: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const key = Array.isArray(parsed) && parsed[0] === list ? (parsed.slice(1) as unknown[]) : [];
  const valid =
    key.length === parts.length &&
    key.every((value, i) => typeof value === 'string' && PART_FORMAT[parts[i]!].test(value));
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
