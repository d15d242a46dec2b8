/** Tenant ids are Entra directory ids: GUIDs, stored lowercase. */
import { boundedEcho } from './bounded-echo';
import { InventoryError } from './error-codes';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a GUID string, in any case. */
export function isTenantId(value: unknown): value is string {
  return typeof value === 'string' && GUID.test(value);
}

/**
 * The tenant id lower-cased; `invalid_input` when `value` is not a GUID, quoting a string value
 * (bounded) so the user sees what was taken for the id.
 */
export function parseTenantId(value: unknown): string {
  if (!isTenantId(value)) {
    const got = typeof value === 'string' ? ` (got ${boundedEcho(value, { quote: true })})` : '';
    throw new InventoryError(
      'invalid_input',
      `tenant id must be a GUID such as 00000000-0000-0000-0000-000000000000${got}`,
    );
  }
  return value.toLowerCase();
}
