/** Parsing of numeric flags, with the one-line error every command gives for bad input. */
import { boundedEcho } from '../inventory/bounded-echo';
import { InventoryError } from '../inventory/error-codes';

/**
 * `value` as a whole number from `min` to `max`; `invalid_input` naming `--<name>` otherwise (a sign,
 * decimals or an exponent included).
 */
export function integerFlag(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new InventoryError(
      'invalid_input',
      `--${name} must be a whole number from ${min} to ${max} (got ${boundedEcho(value, { quote: true })})`,
    );
  }
  return n;
}
