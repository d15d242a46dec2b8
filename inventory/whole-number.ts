/**
 * Whole numbers from people and callers (`--limit`, `--port`, a client's `limit`), read one strict
 * way everywhere: plain decimal digits only, so `1e2`, `0x10`, `' 5 '`, `5.0` and `+5` are refused
 * instead of meaning something other than they look like.
 *
 * Pure: safe to import anywhere.
 */
import { InventoryError } from './error-codes';

/** Inclusive bounds; both are safe integers. */
export interface WholeNumberRange {
  readonly min: number;
  readonly max: number;
}

const DIGITS = /^\d+$/;

/**
 * `value` (a string of decimal digits, or a number that is a safe integer) as a number within
 * `range`; `invalid_input` naming `label` (e.g. `--limit`, `limit`) and the range otherwise.
 */
export function parseWholeNumber(label: string, value: unknown, range: WholeNumberRange): number {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && DIGITS.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw new InventoryError(
      'invalid_input',
      `${label} must be a whole number from ${range.min} to ${range.max}, in plain digits`,
    );
  }
  return n;
}
