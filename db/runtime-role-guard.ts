/**
 * Start-up check for the runtime connection: tenant isolation rests on row-level security, which
 * a superuser or a BYPASSRLS role silently ignores. Such a role is refused unless the operator
 * opted out explicitly (INVENTORY_ALLOW_RLS_BYPASS).
 */
import { type DataSource } from 'typeorm';
import { InventoryError } from '../inventory/error-codes';
import { queryRows } from './sql';

export async function assertRuntimeRoleIsolated(
  ds: DataSource,
  options: { allowBypass: boolean },
): Promise<void> {
  const [role] = await queryRows<{ name: string; superuser: boolean; bypassrls: boolean }>(
    ds,
    `SELECT rolname AS name, rolsuper AS superuser, rolbypassrls AS bypassrls
     FROM pg_catalog.pg_roles WHERE rolname = current_user`,
  );
  if (!role || options.allowBypass || (!role.superuser && !role.bypassrls)) return;
  throw new InventoryError(
    'config_invalid',
    `database role "${role.name}" ${role.superuser ? 'is a superuser' : 'has BYPASSRLS'} and would bypass ` +
      'row-level security; connect DATABASE_URL as a login in role inventory_runtime, ' +
      'or set INVENTORY_ALLOW_RLS_BYPASS=true to accept that',
  );
}
