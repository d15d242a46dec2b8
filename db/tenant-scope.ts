/**
 * The one way into tenant data. Row-level security on `inventory_items` and `inventory_sync_runs`
 * admits only rows of the tenant named by the transaction-local setting `app.tenant_id`; this
 * helper validates the tenant id, opens a transaction, sets it, and hands the transaction's manager
 * to `work`. Outside it the runtime role sees and writes nothing, so a forgotten scope fails closed.
 */
import { type DataSource, type EntityManager } from 'typeorm';
import { parseTenantId } from '../inventory/tenant-id';

/** Read by the SQL function `inventory_current_tenant()` that the RLS policies call. */
export const TENANT_SETTING = 'app.tenant_id';

export async function withTenant<T>(
  ds: DataSource,
  tenantId: string,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const tenant = parseTenantId(tenantId);
  return ds.transaction(async (manager) => {
    // `true`: local to this transaction, so a pooled connection never carries it to the next user.
    await manager.query(`SELECT set_config('${TENANT_SETTING}', $1, true)`, [tenant]);
    return work(manager);
  });
}
