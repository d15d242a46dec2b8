/**
 * Why: concurrency limits and the reaper need the live runs of every tenant, which row-level
 * security rightly hides from the runtime. Instead of a policy that widens what the runtime can
 * read, `inventory_run_monitor` may SELECT only live (pending/running) rows, and the SECURITY
 * DEFINER function `inventory_live_runs()` it owns returns just their bookkeeping columns. The
 * runtime may EXECUTE it, nobody else; no item data and no finished run ever leaves a tenant
 * through it. A non-superuser migration owner may only hand the function to a role it can SET ROLE
 * to, and that role needs CREATE on the schema at that moment (revoked again at once).
 */
import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class CreateLiveRunsMonitor1795478400004 implements MigrationInterface {
  name = 'CreateLiveRunsMonitor1795478400004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`GRANT SELECT ON public.inventory_sync_runs TO inventory_run_monitor`);
    await queryRunner.query(`
      CREATE POLICY inventory_sync_runs_live_monitor ON public.inventory_sync_runs
        FOR SELECT TO inventory_run_monitor
        USING (status IN ('pending', 'running'))`);
    await queryRunner.query(`
      CREATE FUNCTION public.inventory_live_runs()
      RETURNS TABLE (
        id uuid,
        tenant_id uuid,
        selection_hash char(64),
        status text,
        correlation_id text,
        started_at timestamptz,
        created_at timestamptz
      )
      LANGUAGE sql STABLE SECURITY DEFINER
      SET search_path = pg_catalog, public
      AS $$
        SELECT r.id, r.tenant_id, r.selection_hash, r.status, r.correlation_id, r.started_at, r.created_at
        FROM public.inventory_sync_runs AS r
        WHERE r.status IN ('pending', 'running')
      $$`);
    await queryRunner.query(`
      DO $$
      DECLARE
        owner_is_superuser boolean := (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user);
      BEGIN
        IF NOT owner_is_superuser THEN
          EXECUTE format('GRANT inventory_run_monitor TO %I', current_user);
          GRANT CREATE ON SCHEMA public TO inventory_run_monitor;
        END IF;
        ALTER FUNCTION public.inventory_live_runs() OWNER TO inventory_run_monitor;
        IF NOT owner_is_superuser THEN
          REVOKE CREATE ON SCHEMA public FROM inventory_run_monitor;
        END IF;
      END
      $$`);
    await queryRunner.query(`REVOKE ALL ON FUNCTION public.inventory_live_runs() FROM PUBLIC`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION public.inventory_live_runs() TO inventory_runtime`);
    await queryRunner.query(
      `COMMENT ON FUNCTION public.inventory_live_runs() IS 'live (pending/running) runs of all tenants, bookkeeping columns only'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION public.inventory_live_runs()`);
    await queryRunner.query(`DROP POLICY inventory_sync_runs_live_monitor ON public.inventory_sync_runs`);
    await queryRunner.query(`REVOKE SELECT ON public.inventory_sync_runs FROM inventory_run_monitor`);
  }
}
