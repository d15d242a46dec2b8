/**
 * Why: a run's status says whether *all* of its policy types were enumerated, which is too coarse
 * to trust anything by: one type a tenant can never read (no licence, a permission not granted)
 * makes every run of its selection `partial`, so no answer derived from such a run could be
 * trusted for any type. One row per policy type of a finished run records how that type's
 * enumeration ended (complete, failed, forbidden, not licensed, cancelled, not attempted), with its
 * stable code, its counts and when it ended, so readers can trust each type on its own ("missing",
 * coverage). finalizeRun writes the rows in the run row's transaction, so a final run has all of
 * them or none (runs finalized before this migration, or marked abandoned, have none). The
 * composite foreign key ties each row to a run of the same tenant; the index serves "the latest
 * outcome of this type" per tenant. Rows are written once and never changed: SELECT and INSERT only.
 *
 * The run row gains how many of its upserted items were new, changed or unchanged:
 * `items_upserted_count` always equalled the items observed, which told nothing. Existing runs get
 * 0 (not known).
 */
import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class AddSyncRunTypeOutcomes1795478400007 implements MigrationInterface {
  name = 'AddSyncRunTypeOutcomes1795478400007';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE public.inventory_sync_runs
        ADD COLUMN items_new_count integer NOT NULL DEFAULT 0 CHECK (items_new_count >= 0),
        ADD COLUMN items_changed_count integer NOT NULL DEFAULT 0 CHECK (items_changed_count >= 0),
        ADD COLUMN items_unchanged_count integer NOT NULL DEFAULT 0 CHECK (items_unchanged_count >= 0)`);

    await queryRunner.query(`
      CREATE TABLE public.inventory_sync_run_types (
        tenant_id uuid NOT NULL,
        run_id uuid NOT NULL,
        policy_type text NOT NULL,
        outcome text NOT NULL
          CHECK (outcome IN ('complete', 'failed', 'forbidden', 'not_licensed', 'cancelled', 'not_attempted')),
        error_code text,
        pages_count integer NOT NULL CHECK (pages_count >= 0),
        items_observed_count integer NOT NULL CHECK (items_observed_count >= 0),
        items_new_count integer NOT NULL CHECK (items_new_count >= 0),
        items_changed_count integer NOT NULL CHECK (items_changed_count >= 0),
        items_unchanged_count integer NOT NULL CHECK (items_unchanged_count >= 0),
        finished_at timestamptz,
        CONSTRAINT inventory_sync_run_types_pkey PRIMARY KEY (run_id, policy_type),
        CONSTRAINT inventory_sync_run_types_code_unless_complete
          CHECK ((outcome = 'complete') = (error_code IS NULL)),
        CONSTRAINT inventory_sync_run_types_run_fkey
          FOREIGN KEY (tenant_id, run_id) REFERENCES public.inventory_sync_runs (tenant_id, id)
      )`);
    await queryRunner.query(`
      CREATE INDEX inventory_sync_run_types_latest_idx
        ON public.inventory_sync_run_types (tenant_id, policy_type, finished_at DESC)`);
    await queryRunner.query(
      `COMMENT ON TABLE public.inventory_sync_run_types IS 'how each policy type of a finished sync run ended'`,
    );

    await queryRunner.query(`ALTER TABLE public.inventory_sync_run_types ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE public.inventory_sync_run_types FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY inventory_sync_run_types_tenant_isolation ON public.inventory_sync_run_types
        USING (tenant_id = public.inventory_current_tenant())
        WITH CHECK (tenant_id = public.inventory_current_tenant())`);

    await queryRunner.query(`REVOKE ALL ON public.inventory_sync_run_types FROM PUBLIC`);
    await queryRunner.query(`GRANT SELECT, INSERT ON public.inventory_sync_run_types TO inventory_runtime`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE public.inventory_sync_run_types`);
    await queryRunner.query(`
      ALTER TABLE public.inventory_sync_runs
        DROP COLUMN items_new_count, DROP COLUMN items_changed_count, DROP COLUMN items_unchanged_count`);
  }
}
