/**
 * Why: every sync is one row, from start to final status, so history, "missing" derivation and
 * concurrency limits all read the same facts. The database itself refuses two live runs of one
 * (tenant, selection) through a partial unique index, whoever starts them; `correlation_id` (the
 * Temporal workflow id and first execution run id) is unique so an activity retried after its
 * commit finds its row instead of creating another. Row-level security, forced so even the owner
 * is scoped, admits only rows of the transaction's tenant. `UNIQUE (tenant_id, id)` is the target
 * of the items' composite foreign key: an item can only point at a run of its own tenant.
 */
import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class CreateInventorySyncRuns1795478400002 implements MigrationInterface {
  name = 'CreateInventorySyncRuns1795478400002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE public.inventory_sync_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES public.tenants (id),
        selection_hash char(64) NOT NULL CHECK (selection_hash ~ '^[0-9a-f]{64}$'),
        selection_payload jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'running', 'success', 'partial', 'failed', 'skipped')),
        had_errors boolean NOT NULL DEFAULT false,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        items_observed_count integer NOT NULL DEFAULT 0 CHECK (items_observed_count >= 0),
        items_upserted_count integer NOT NULL DEFAULT 0 CHECK (items_upserted_count >= 0),
        errors_count integer NOT NULL DEFAULT 0 CHECK (errors_count >= 0),
        error_codes text[] NOT NULL DEFAULT '{}',
        error_context jsonb,
        correlation_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT inventory_sync_runs_finished_when_final
          CHECK ((status IN ('pending', 'running')) = (finished_at IS NULL)),
        CONSTRAINT inventory_sync_runs_tenant_id_id_key UNIQUE (tenant_id, id)
      )`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX inventory_sync_runs_correlation_id_key
        ON public.inventory_sync_runs (correlation_id) WHERE correlation_id IS NOT NULL`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX inventory_sync_runs_live_selection_key
        ON public.inventory_sync_runs (tenant_id, selection_hash) WHERE status IN ('pending', 'running')`);
    await queryRunner.query(`
      CREATE INDEX inventory_sync_runs_latest_completed_idx
        ON public.inventory_sync_runs (tenant_id, selection_hash, started_at DESC)
        WHERE status IN ('success', 'partial', 'failed')`);
    await queryRunner.query(`
      CREATE INDEX inventory_sync_runs_tenant_newest_idx
        ON public.inventory_sync_runs (tenant_id, created_at DESC, id DESC)`);
    await queryRunner.query(`
      CREATE INDEX inventory_sync_runs_selection_newest_idx
        ON public.inventory_sync_runs (tenant_id, selection_hash, created_at DESC, id DESC)`);
    await queryRunner.query(
      `COMMENT ON TABLE public.inventory_sync_runs IS 'one row per inventory sync run'`,
    );

    await queryRunner.query(`ALTER TABLE public.inventory_sync_runs ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE public.inventory_sync_runs FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY inventory_sync_runs_tenant_isolation ON public.inventory_sync_runs
        USING (tenant_id = public.inventory_current_tenant())
        WITH CHECK (tenant_id = public.inventory_current_tenant())`);

    await queryRunner.query(`REVOKE ALL ON public.inventory_sync_runs FROM PUBLIC`);
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE ON public.inventory_sync_runs TO inventory_runtime`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE public.inventory_sync_runs`);
  }
}
