/** Identifiers the database generates (run ids) checked before they reach a `::uuid` cast. */
import { InventoryError } from '../inventory/error-codes';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `value` lower-cased when it is a UUID in any case; `invalid_input` ("<what> must be a UUID") otherwise. */
export function parseUuid(value: unknown, what: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw new InventoryError('invalid_input', `${what} must be a UUID`);
  }
  return value.toLowerCase();
}
