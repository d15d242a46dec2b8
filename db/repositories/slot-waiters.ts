/**
 * Runs waiting for a concurrency slot (migration 1795478400009), so that whoever frees a slot can
 * hand it to the oldest waiter at once instead of the waiters polling. All access goes through
 * the table's SECURITY DEFINER functions: register and remove act on the caller's own tenant (in
 * its `withTenant` transaction), and `nextSlotWaiters` reads the waiters of every tenant,
 * bookkeeping columns only.
 */
import { type EntityManager } from 'typeorm';
import { InventoryError } from '../../inventory/error-codes';
import { parseTenantId } from '../../inventory/tenant-id';
import { queryRows } from '../sql';
import { column, defineTable, type DbRow, type RowOf } from '../table';
import { type TenantManager } from '../tenant-scope';
import { START_RUN_LOCK_KEY } from './sync-runs';

/** Which cap a waiter found full. */
export type SlotCap = 'global' | 'tenant';

/** The waiter rows, as `inventory_slot_waiters_next()` returns them (the table's every column). */
export const SLOT_WAITERS = defineTable('inventory_slot_waiters_next()', {
  correlationId: column<string>('correlation_id'),
  tenantId: column<string>('tenant_id'),
  selectionHash: column<string>('selection_hash'),
  cap: column<SlotCap>('cap'),
  since: column<Date>('since'),
});

export type SlotWaiter = RowOf<typeof SLOT_WAITERS>;

/**
 * Records that the run of `correlationId` (`<workflowId>/<firstExecutionRunId>`) waits for a slot.
 * Registering again keeps its first `since` (its place in the queue) and updates `cap`. Call it in
 * startRun's transaction, under its lock, so a finalizer that looks for waiters (under the same
 * lock) either sees this one or freed its slot before startRun counted. The tenant must be the
 * scope's (else SQLSTATE 42501).
 */
export async function registerSlotWaiter(
  manager: TenantManager,
  waiter: { tenantId: string; correlationId: string; selectionHash: string; cap: SlotCap },
): Promise<void> {
  await queryRows(manager, `SELECT public.inventory_slot_waiter_register($1, $2, $3, $4)`, [
    waiter.correlationId,
    parseTenantId(waiter.tenantId),
    waiter.selectionHash,
    waiter.cap,
  ]);
}

/** Forgets the waiter of `correlationId` in the scope's tenant; true when there was one. */
export async function removeSlotWaiter(manager: TenantManager, correlationId: string): Promise<boolean> {
  const [row] = await queryRows<{ removed: boolean }>(
    manager,
    `SELECT public.inventory_slot_waiter_remove($1) AS removed`,
    [correlationId],
  );
  return row!.removed;
}

function parseCap(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new InventoryError('invalid_input', `limits.${name} must be a whole number of at least 1`);
  }
  return value;
}

/**
 * The waiters, of every tenant, that fit in the slots free now, oldest first: at most as many as
 * the global cap leaves free, and of each tenant at most as many as its cap leaves free. Takes the
 * start lock, so `manager` must be a transaction of its own (any manager: no tenant scope). Throws
 * `invalid_input` for a cap below 1.
 */
export async function nextSlotWaiters(
  manager: EntityManager,
  limits: { global: number; perTenant: number },
): Promise<SlotWaiter[]> {
  const caps = [parseCap(limits.global, 'global'), parseCap(limits.perTenant, 'perTenant')];
  await manager.query(`SELECT pg_advisory_xact_lock(${START_RUN_LOCK_KEY})`);
  const rows = await queryRows<DbRow>(
    manager,
    `SELECT ${SLOT_WAITERS.columnList} FROM public.inventory_slot_waiters_next($1, $2)`,
    caps,
  );
  return rows.map(SLOT_WAITERS.fromDb);
}
