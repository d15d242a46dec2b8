/**
 * Registered tenants. This table has no row-level security (it holds no Intune data and listing
 * tenants is administrative), so these functions take a DataSource or a transaction's manager.
 */
import { InventoryError } from '../../inventory/error-codes';
import { MAX_DISPLAY_NAME } from '../../inventory/item';
import { sanitizeText } from '../../inventory/postgres-text';
import { parseTenantId } from '../../inventory/tenant-id';
import { queryRows, type Queryable } from '../sql';

export interface Tenant {
  id: string;
  displayName: string;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

interface TenantDbRow {
  id: string;
  display_name: string;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

const TENANT_COLUMNS = 'id, display_name, enabled, created_at, updated_at';

function toTenant(row: TenantDbRow): Tenant {
  return {
    id: row.id,
    displayName: row.display_name,
    enabled: row.enabled,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function parseDisplayName(value: string): string {
  const name = typeof value === 'string' ? sanitizeText(value, MAX_DISPLAY_NAME).trim() : '';
  if (name.length === 0) throw new InventoryError('invalid_input', 'a tenant needs a non-empty display name');
  return name;
}

/** Registers a tenant, or renames a registered one (its `enabled` flag is kept). */
export async function registerTenant(
  db: Queryable,
  input: { id: string; displayName: string },
): Promise<{ tenant: Tenant; created: boolean }> {
  const [row] = await queryRows<TenantDbRow & { created: boolean }>(
    db,
    `INSERT INTO tenants AS t (id, display_name) VALUES ($1, $2)
     ON CONFLICT (id) DO UPDATE SET
       display_name = EXCLUDED.display_name,
       updated_at = CASE WHEN t.display_name IS DISTINCT FROM EXCLUDED.display_name THEN now() ELSE t.updated_at END
     RETURNING ${TENANT_COLUMNS}, (xmax = 0) AS created`,
    [parseTenantId(input.id), parseDisplayName(input.displayName)],
  );
  return { tenant: toTenant(row!), created: row!.created };
}

export async function getTenant(db: Queryable, id: string): Promise<Tenant | null> {
  const [row] = await queryRows<TenantDbRow>(db, `SELECT ${TENANT_COLUMNS} FROM tenants WHERE id = $1`, [
    parseTenantId(id),
  ]);
  return row ? toTenant(row) : null;
}

/** All tenants by display name. */
export async function listTenants(db: Queryable): Promise<Tenant[]> {
  const rows = await queryRows<TenantDbRow>(
    db,
    `SELECT ${TENANT_COLUMNS} FROM tenants ORDER BY display_name, id`,
  );
  return rows.map(toTenant);
}

/** Enables or disables a tenant; null when it is not registered. */
export async function setTenantEnabled(db: Queryable, id: string, enabled: boolean): Promise<Tenant | null> {
  const [row] = await queryRows<TenantDbRow>(
    db,
    `UPDATE tenants
     SET enabled = $2, updated_at = CASE WHEN enabled IS DISTINCT FROM $2 THEN now() ELSE updated_at END
     WHERE id = $1
     RETURNING ${TENANT_COLUMNS}`,
    [parseTenantId(id), enabled === true],
  );
  return row ? toTenant(row) : null;
}
