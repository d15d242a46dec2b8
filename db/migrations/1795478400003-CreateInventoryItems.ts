/**
 * Why: the catalog is mutable "last observed" state, one row per (tenant, policy type, Graph id),
 * so upserts are idempotent and duplicates impossible. `last_seen_at` is written from the
 * database clock, the same clock as the runs' `started_at`, so "missing" (seen before the basis
 * run started) never depends on a worker's clock. The missing-items index serves that query by
 * (tenant, type, last_seen_at) range and hands rows back in keyset order without a sort. The
 * composite foreign key ties `last_seen_run_id` to a run of the same tenant.
 */
import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class CreateInventoryItems1795478400003 implements MigrationInterface {
  name = 'CreateInventoryItems1795478400003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE public.inventory_items (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES public.tenants (id),
        policy_type text NOT NULL,
        external_id text NOT NULL,
        display_name text NOT NULL,
        platform text,
        category text,
        meta_jsonb jsonb NOT NULL DEFAULT '{}',
        last_seen_at timestamptz NOT NULL,
        last_seen_run_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT inventory_items_tenant_type_external_key UNIQUE (tenant_id, policy_type, external_id),
        CONSTRAINT inventory_items_last_seen_run_fkey
          FOREIGN KEY (tenant_id, last_seen_run_id) REFERENCES public.inventory_sync_runs (tenant_id, id)
      )`);
    await queryRunner.query(`
      CREATE INDEX inventory_items_missing_idx
        ON public.inventory_items (tenant_id, policy_type, last_seen_at, external_id)`);
    await queryRunner.query(
      `COMMENT ON TABLE public.inventory_items IS 'last observed state of each Intune policy per tenant'`,
    );

    await queryRunner.query(`ALTER TABLE public.inventory_items ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE public.inventory_items FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY inventory_items_tenant_isolation ON public.inventory_items
        USING (tenant_id = public.inventory_current_tenant())
        WITH CHECK (tenant_id = public.inventory_current_tenant())`);

    await queryRunner.query(`REVOKE ALL ON public.inventory_items FROM PUBLIC`);
    // No DELETE: no repository function removes items ("missing" is derived, never stored).
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON public.inventory_items TO inventory_runtime`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE public.inventory_items`);
  }
}
