/**
 * The client's tenant registry calls. The tenants table has no row-level security, so each is one
 * statement on the pool (`db.manager`), not a tenant transaction.
 */
import { type DataSource, type EntityManager } from 'typeorm';
import { orDbError } from '../db/errors';
import {
  getTenant,
  listTenants as listTenantRows,
  registerTenant as registerTenantRow,
  setTenantEnabled as setTenantEnabledRow,
  type Tenant,
} from '../db/repositories/tenants';
import { parseTenantId } from '../inventory/tenant-id';
import { parseTenantName } from '../inventory/tenant-name';
import { booleanArgument, objectArgument } from './arguments';
import { TenantNotFoundError } from './errors';

/** Backs `InventoryClient.registerTenant`. */
export async function registerTenant(
  db: DataSource,
  input: { tenantId: string; displayName: string },
): Promise<{ tenant: Tenant; created: boolean }> {
  const fields = objectArgument(input, 'registerTenant input');
  const id = parseTenantId(fields.tenantId);
  const displayName = parseTenantName(fields.displayName);
  return orDbError('cannot register the tenant', registerTenantRow(db.manager, { id, displayName }));
}

/**
 * The registered tenant `tenantId` (already parsed), read through `manager` (any transaction: the
 * tenants table has no row-level security); `tenant_unknown` (TenantNotFoundError) when there is
 * none, so a mistyped id is named as such instead of looking like a tenant with no runs.
 */
export async function requireTenant(manager: EntityManager, tenantId: string): Promise<Tenant> {
  const tenant = await getTenant(manager, tenantId);
  if (!tenant) throw new TenantNotFoundError(tenantId);
  return tenant;
}

/** Backs `InventoryClient.listTenants`. */
export async function listTenants(db: DataSource): Promise<Tenant[]> {
  return orDbError('cannot list tenants', listTenantRows(db.manager));
}

/** Backs `InventoryClient.setTenantEnabled`. */
export async function setTenantEnabled(
  db: DataSource,
  tenantIdInput: string,
  enabled: boolean,
): Promise<Tenant> {
  const tenantId = parseTenantId(tenantIdInput);
  const flag = booleanArgument(enabled, 'enabled');
  const tenant = await orDbError('cannot update the tenant', setTenantEnabledRow(db.manager, tenantId, flag));
  if (!tenant) throw new TenantNotFoundError(tenantId);
  return tenant;
}
