/** Tenant ids are Entra directory ids: GUIDs, stored lowercase. */
import { InventoryError } from './error-codes';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a GUID string, in any case. */
export function isTenantId(value: unknown): value is string {
  return typeof value === 'string' && GUID.test(value);
}

/** The tenant id lower-cased; `invalid_input` when `value` is not a GUID. */
export function parseTenantId(value: unknown): string {
  if (!isTenantId(value)) {
    throw new InventoryError(
      'invalid_input',
      `tenant id must be a GUID such as 00000000-0000-0000-0000-000000000000`,
    );
  }
  return value.toLowerCase();
}
