/**
 * The one way into tenant data, and the transaction convention of every repository.
 *
 * Row-level security on `inventory_items`, `inventory_sync_runs` and `inventory_sync_run_types`
 * admits only rows of the tenant named by the transaction-local setting `app.tenant_id`;
 * `withTenant` validates the tenant id, opens a transaction, sets it, and hands the transaction's
 * manager to `work`. Outside it the runtime role sees and writes nothing, so a forgotten scope
 * fails closed.
 *
 * Convention: repository functions (db/repositories/) never open a transaction. Each takes the
 * caller's EntityManager first and runs its statements in it, so the caller sees what one
 * transaction holds (and the advisory lock `startRun` takes lasts exactly as long as it):
 *
 *   const run = await withTenant(ds, tenantId, (tx) => getRun(tx, tenantId, runId));
 *
 * - Functions on tenant rows take a `TenantManager`, a type only `withTenant` hands out, so a
 *   manager without the tenant setting does not compile. They take the tenant id too (for their
 *   SQL); it must be the scope's, or RLS finds nothing and refuses writes (SQLSTATE 42501).
 * - Functions on `tenants` (no RLS: no Intune data, administrative) and `listLiveRuns` (the one
 *   cross-tenant read, through a SECURITY DEFINER function) take any EntityManager: `ds.manager`
 *   for a single statement, or a transaction's.
 */
import { type DataSource, type EntityManager } from 'typeorm';
import { parseTenantId } from '../inventory/tenant-id';

/** Read by the SQL function `inventory_current_tenant()` that the RLS policies call. */
export const TENANT_SETTING = 'app.tenant_id';

declare const tenantScoped: unique symbol;

/** The manager of a transaction `withTenant` scoped to one tenant. */
export type TenantManager = EntityManager & { readonly [tenantScoped]: true };

/**
 * Runs `work` in a new transaction scoped to `tenantId` and returns its result; commits when
 * `work` resolves, rolls back when it throws. Throws `invalid_input` for a malformed tenant id.
 */
export async function withTenant<T>(
  ds: DataSource,
  tenantId: string,
  work: (manager: TenantManager) => Promise<T>,
): Promise<T> {
  const tenant = parseTenantId(tenantId);
  return ds.transaction(async (manager) => {
    // `true`: local to this transaction, so a pooled connection never carries it to the next user.
    await manager.query(`SELECT set_config('${TENANT_SETTING}', $1, true)`, [tenant]);
    return work(manager as TenantManager);
  });
}
