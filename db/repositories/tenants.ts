/**
 * Registered tenants. This table has no row-level security (it holds no Intune data and listing
 * tenants is administrative), so these functions take any EntityManager (db/tenant-scope.ts):
 * `ds.manager` for one statement, or a transaction's.
 */
import { type EntityManager } from 'typeorm';
import { parseTenantId } from '../../inventory/tenant-id';
import { parseTenantName } from '../../inventory/tenant-name';
import { queryRows } from '../sql';
import { column, defineTable, type DbRow, type RowOf } from '../table';

export const TENANTS = defineTable('tenants', {
  id: column<string>('id'),
  displayName: column<string>('display_name'),
  enabled: column<boolean>('enabled'),
  createdAt: column<Date>('created_at'),
  updatedAt: column<Date>('updated_at'),
});

export type Tenant = RowOf<typeof TENANTS>;

/**
 * Registers a tenant, or renames a registered one (its `enabled` flag is kept); `created` says
 * which. The display name is stored trimmed; `invalid_input` for a malformed id or a display name
 * the one name rule refuses (inventory/tenant-name.ts: empty, over 256 code points, control
 * characters).
 */
export async function registerTenant(
  manager: EntityManager,
  input: { id: string; displayName: string },
): Promise<{ tenant: Tenant; created: boolean }> {
  const [row] = await queryRows<DbRow & { created: boolean }>(
    manager,
    `INSERT INTO tenants AS t (id, display_name) VALUES ($1, $2)
     ON CONFLICT (id) DO UPDATE SET
       display_name = EXCLUDED.display_name,
       updated_at = CASE WHEN t.display_name IS DISTINCT FROM EXCLUDED.display_name THEN now() ELSE t.updated_at END
     RETURNING ${TENANTS.columnList}, (xmax = 0) AS created`,
    [parseTenantId(input.id), parseTenantName(input.displayName)],
  );
  return { tenant: TENANTS.fromDb(row!), created: row!.created };
}

/** The tenant, or null when it is not registered. Throws `invalid_input` for a malformed id. */
export async function getTenant(manager: EntityManager, id: string): Promise<Tenant | null> {
  const [row] = await queryRows<DbRow>(manager, `SELECT ${TENANTS.columnList} FROM tenants WHERE id = $1`, [
    parseTenantId(id),
  ]);
  return row ? TENANTS.fromDb(row) : null;
}

/** All tenants by display name. */
export async function listTenants(manager: EntityManager): Promise<Tenant[]> {
  const rows = await queryRows<DbRow>(
    manager,
    `SELECT ${TENANTS.columnList} FROM tenants ORDER BY display_name, id`,
  );
  return rows.map(TENANTS.fromDb);
}

/** Enables or disables a tenant; null when it is not registered. */
export async function setTenantEnabled(
  manager: EntityManager,
  id: string,
  enabled: boolean,
): Promise<Tenant | null> {
  const [row] = await queryRows<DbRow>(
    manager,
    `UPDATE tenants
     SET enabled = $2, updated_at = CASE WHEN enabled IS DISTINCT FROM $2 THEN now() ELSE updated_at END
     WHERE id = $1
     RETURNING ${TENANTS.columnList}`,
    [parseTenantId(id), enabled === true],
  );
  return row ? TENANTS.fromDb(row) : null;
}
