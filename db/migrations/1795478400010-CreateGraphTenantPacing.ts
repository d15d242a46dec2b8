/**
 * Why: every Graph request of a tenant must stay under GRAPH_TENANT_RPS, and several worker
 * processes may send requests of one tenant at once (page activities on one task queue run on
 * whichever process polls). A pacer inside each process lets the tenant get the rate once per
 * process; this table is the one pacer they share, with the database's clock as the one clock.
 *
 * One row per tenant holds the theoretical arrival time of the generic cell rate algorithm
 * (virtual scheduling): each reservation of `count` requests pushes it `count` intervals further
 * in one upsert, inside `inventory_reserve_graph_requests` (db/repositories/graph-tenant-pacing.ts).
 *
 * - The function exists so that a reservation is one statement and one round trip: it is made
 *   right before every Graph request, and as a transaction of its own (BEGIN, the tenant setting,
 *   the upsert, COMMIT) it was four, the largest share of the worker's PostgreSQL statements and of
 *   its socket writes in a profile of the fleet sweep (BENCHMARKS.md). It runs with the caller's
 *   rights (not SECURITY DEFINER), so row-level security applies to its upsert as to any other:
 *   it sets the tenant scope itself, local to the statement's own transaction, exactly as
 *   `withTenant` does for the caller's own statements.
 *
 * - No foreign key to `tenants`: Graph's budget belongs to the Entra tenant whether or not it is
 *   registered, and the onboarding check (`tenant check`) reads Graph before `tenant add`.
 * - UNLOGGED: the row is rewritten on every Graph request, and a transaction that writes only
 *   unlogged tables commits without waiting for a WAL flush. What a crash loses is a time that
 *   has mostly passed anyway; the next reservation starts from now, as a restarted worker's
 *   in-process pacer did.
 * - Tenant-scoped under the same row-level security as the inventory tables; the runtime role
 *   gets SELECT, INSERT and UPDATE (an upsert needs all three), no DELETE.
 */
import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class CreateGraphTenantPacing1795478400010 implements MigrationInterface {
  name = 'CreateGraphTenantPacing1795478400010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE UNLOGGED TABLE public.graph_tenant_pacing (
        tenant_id uuid PRIMARY KEY,
        theoretical_arrival_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      `COMMENT ON TABLE public.graph_tenant_pacing IS 'per-tenant Graph request pacing shared by every worker (GCRA theoretical arrival time)'`,
    );
    await queryRunner.query(`ALTER TABLE public.graph_tenant_pacing ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE public.graph_tenant_pacing FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY graph_tenant_pacing_tenant_isolation ON public.graph_tenant_pacing
        USING (tenant_id = public.inventory_current_tenant())
        WITH CHECK (tenant_id = public.inventory_current_tenant())`);
    await queryRunner.query(`REVOKE ALL ON public.graph_tenant_pacing FROM PUBLIC`);
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE ON public.graph_tenant_pacing TO inventory_runtime`,
    );
    // clock_timestamp(), read once the row is locked: the database's clock is the one all workers
    // share. Returns how many ms the caller waits before sending (0: at once).
    await queryRunner.query(`
      CREATE FUNCTION public.inventory_reserve_graph_requests(
        p_tenant_id uuid, p_spacing_ms float8, p_burst_ms float8
      ) RETURNS float8
      LANGUAGE plpgsql VOLATILE SECURITY INVOKER
      SET search_path = pg_catalog, public
      AS $$
      DECLARE
        wait_ms float8;
      BEGIN
        PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
        INSERT INTO public.graph_tenant_pacing AS p (tenant_id, theoretical_arrival_at)
        VALUES (p_tenant_id, clock_timestamp() + p_spacing_ms * interval '1 millisecond')
        ON CONFLICT (tenant_id) DO UPDATE SET theoretical_arrival_at =
          greatest(p.theoretical_arrival_at, clock_timestamp()) + p_spacing_ms * interval '1 millisecond'
        RETURNING greatest(0,
          extract(epoch FROM p.theoretical_arrival_at - clock_timestamp())::float8 * 1000 - p_spacing_ms - p_burst_ms
        ) INTO wait_ms;
        RETURN wait_ms;
      END
      $$`);
    await queryRunner.query(
      `REVOKE ALL ON FUNCTION public.inventory_reserve_graph_requests(uuid, float8, float8) FROM PUBLIC`,
    );
    await queryRunner.query(
      `GRANT EXECUTE ON FUNCTION public.inventory_reserve_graph_requests(uuid, float8, float8) TO inventory_runtime`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION public.inventory_reserve_graph_requests(uuid, float8, float8)`);
    await queryRunner.query(`DROP TABLE public.graph_tenant_pacing`);
  }
}
