/**
 * Why: a run that finds every concurrency slot taken used to poll for one every 1–5 s, so a freed
 * slot stayed idle until the next poll and every poll took the cluster-wide start lock. Instead,
 * a waiting run is recorded here, and whoever frees a slot (finalize, the reaper) wakes the oldest
 * waiter that now fits with a Temporal signal. The finalizer of one tenant must see the waiters of
 * every tenant, which row-level security rightly hides from the runtime; as for live runs
 * (1795478400004), `inventory_run_monitor` owns the table's bookkeeping through SECURITY DEFINER
 * functions and the runtime may only EXECUTE them:
 * - `inventory_slot_waiter_register` and `inventory_slot_waiter_remove` act only on a waiter of the
 *   transaction's own tenant (`inventory_current_tenant()`); registering again keeps the first
 *   `since`, so the order of arrival is the order of service;
 * - `inventory_slot_waiters_next` returns, oldest first, the waiters that fit in the slots free
 *   right now (under the global cap, and each under its tenant's cap), bookkeeping columns only.
 * A waiter row is bookkeeping, not inventory: deleting it through the function is the one delete
 * the runtime can cause, and it holds no Intune data. The runtime gets no privilege on the table.
 */
import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { handFunctionsTo } from './role-sql';

const FUNCTIONS = [
  'public.inventory_slot_waiter_register(text, uuid, char, text)',
  'public.inventory_slot_waiter_remove(text)',
  'public.inventory_slot_waiters_next(integer, integer)',
];

export class CreateSlotWaiters1795478400009 implements MigrationInterface {
  name = 'CreateSlotWaiters1795478400009';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE public.inventory_sync_slot_waiters (
        correlation_id text PRIMARY KEY CHECK (length(correlation_id) BETWEEN 1 AND 512),
        tenant_id uuid NOT NULL,
        selection_hash char(64) NOT NULL CHECK (selection_hash ~ '^[0-9a-f]{64}$'),
        cap text NOT NULL CHECK (cap IN ('global', 'tenant')),
        since timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(
      `COMMENT ON TABLE public.inventory_sync_slot_waiters IS 'runs waiting for a concurrency slot, woken oldest first when one frees'`,
    );
    await queryRunner.query(`REVOKE ALL ON public.inventory_sync_slot_waiters FROM PUBLIC`);
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON public.inventory_sync_slot_waiters TO inventory_run_monitor`,
    );

    // clock_timestamp(): the caller holds the start lock, so this is the order of arrival, whereas
    // now() is the transaction's start, before its wait for that lock.
    await queryRunner.query(`
      CREATE FUNCTION public.inventory_slot_waiter_register(
        p_correlation_id text, p_tenant_id uuid, p_selection_hash char(64), p_cap text
      ) RETURNS void
      LANGUAGE plpgsql VOLATILE SECURITY DEFINER
      SET search_path = pg_catalog, public
      AS $$
      BEGIN
        IF p_tenant_id IS DISTINCT FROM public.inventory_current_tenant() THEN
          RAISE EXCEPTION 'a slot waiter is registered only in its own tenant''s scope'
            USING ERRCODE = '42501';
        END IF;
        INSERT INTO public.inventory_sync_slot_waiters AS w (correlation_id, tenant_id, selection_hash, cap, since)
        VALUES (p_correlation_id, p_tenant_id, p_selection_hash, p_cap, clock_timestamp())
        ON CONFLICT (correlation_id) DO UPDATE SET cap = EXCLUDED.cap
        WHERE w.tenant_id = EXCLUDED.tenant_id;
      END
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION public.inventory_slot_waiter_remove(p_correlation_id text) RETURNS boolean
      LANGUAGE sql VOLATILE SECURITY DEFINER
      SET search_path = pg_catalog, public
      AS $$
        WITH removed AS (
          DELETE FROM public.inventory_sync_slot_waiters
          WHERE correlation_id = p_correlation_id AND tenant_id = public.inventory_current_tenant()
          RETURNING 1
        )
        SELECT EXISTS (SELECT FROM removed)
      $$`);
    // The n-th waiter of a tenant fits when the tenant's live runs plus n stay within its cap;
    // of those, as many as the global cap leaves free, oldest first.
    await queryRunner.query(`
      CREATE FUNCTION public.inventory_slot_waiters_next(p_global_limit integer, p_tenant_limit integer)
      RETURNS TABLE (
        correlation_id text,
        tenant_id uuid,
        selection_hash char(64),
        cap text,
        since timestamptz
      )
      LANGUAGE sql STABLE SECURITY DEFINER
      SET search_path = pg_catalog, public
      AS $$
        WITH live AS (
          SELECT r.tenant_id FROM public.inventory_sync_runs AS r WHERE r.status IN ('pending', 'running')
        ),
        ranked AS (
          SELECT w.correlation_id, w.tenant_id, w.selection_hash, w.cap, w.since,
                 row_number() OVER (PARTITION BY w.tenant_id ORDER BY w.since, w.correlation_id) AS place
          FROM public.inventory_sync_slot_waiters AS w
        )
        SELECT k.correlation_id, k.tenant_id, k.selection_hash, k.cap, k.since
        FROM ranked AS k
        WHERE (SELECT count(*) FROM live AS l WHERE l.tenant_id = k.tenant_id) + k.place <= p_tenant_limit
        ORDER BY k.since, k.correlation_id
        LIMIT GREATEST(p_global_limit - (SELECT count(*) FROM live), 0)
      $$`);
    await queryRunner.query(handFunctionsTo('inventory_run_monitor', FUNCTIONS));
    for (const fn of FUNCTIONS) {
      await queryRunner.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await queryRunner.query(`GRANT EXECUTE ON FUNCTION ${fn} TO inventory_runtime`);
    }
    await queryRunner.query(
      `COMMENT ON FUNCTION ${FUNCTIONS[0]} IS 'records a run of the current tenant waiting for a slot; a second call keeps its place'`,
    );
    await queryRunner.query(
      `COMMENT ON FUNCTION ${FUNCTIONS[1]} IS 'forgets a waiting run of the current tenant; true when there was one'`,
    );
    await queryRunner.query(
      `COMMENT ON FUNCTION ${FUNCTIONS[2]} IS 'waiting runs of all tenants that fit in the free slots, oldest first, bookkeeping columns only'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const fn of FUNCTIONS) await queryRunner.query(`DROP FUNCTION ${fn}`);
    await queryRunner.query(`DROP TABLE public.inventory_sync_slot_waiters`);
  }
}
