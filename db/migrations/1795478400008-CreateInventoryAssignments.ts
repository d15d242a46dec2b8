/**
 * Why: "which policies target this group?" is the question MSP engineers ask most, and walking
 * Graph live for it per tenant does not scale to a fleet. Each item's assignments (the edges from a
 * policy to groups, exclusion groups, all devices or users, with the assignment filter and intent)
 * are kept as rows next to the item, written in the item's upsert statement.
 *
 * Edges are "last observed", like items, so the runtime role needs no DELETE: every upsert that
 * observes an item's assignments stamps the item with a fresh `assignments_observation_id` and
 * writes its edges with that same id (inserting new edges, re-stamping ones seen before). An
 * item's current edges are exactly those carrying its `assignments_observation_id`; an edge that
 * disappeared from Graph keeps its older id and no longer counts. A random id per observation,
 * not the run id, because one run may observe an item twice (a page retried after a crash whose
 * first attempt committed) and only the later observation may count. The table holds at most the
 * distinct edges ever seen per item, as the items table holds the distinct items ever seen.
 * An item whose assignments were not read (a type without them, a type that failed, an item whose
 * per-item request failed) keeps its previous stamp and so its previous edges;
 * `assignments_observed_at` says how old they are.
 *
 * `directory_groups` keeps the display names of referenced Entra groups, where the app may read
 * them (GroupMember.Read.All or Group.Read.All), refreshed by syncs, last observed as well.
 *
 * Both tables are tenant-scoped under the same row-level security as the items; the runtime role
 * gets SELECT, INSERT and UPDATE, as on inventory_items.
 */
import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class CreateInventoryAssignments1795478400008 implements MigrationInterface {
  name = 'CreateInventoryAssignments1795478400008';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE public.inventory_items
        ADD COLUMN assignments_observation_id uuid,
        ADD COLUMN assignments_observed_at timestamptz,
        ADD COLUMN assignments_run_id uuid,
        ADD CONSTRAINT inventory_items_assignments_observed_together CHECK (
          (assignments_observation_id IS NULL) = (assignments_observed_at IS NULL)
          AND (assignments_observation_id IS NULL) = (assignments_run_id IS NULL))`);

    await queryRunner.query(`
      CREATE TABLE public.inventory_assignments (
        tenant_id uuid NOT NULL,
        policy_type text NOT NULL,
        external_id text NOT NULL,
        assignment_id text NOT NULL,
        target_kind text NOT NULL,
        target_type text,
        group_id text,
        filter_id text,
        filter_type text NOT NULL CHECK (filter_type IN ('none', 'include', 'exclude')),
        intent text,
        source text,
        source_id text,
        observation_id uuid NOT NULL,
        observed_at timestamptz NOT NULL,
        CONSTRAINT inventory_assignments_pkey PRIMARY KEY (tenant_id, policy_type, external_id, assignment_id),
        CONSTRAINT inventory_assignments_item_fkey FOREIGN KEY (tenant_id, policy_type, external_id)
          REFERENCES public.inventory_items (tenant_id, policy_type, external_id)
      )`);
    await queryRunner.query(`
      CREATE INDEX inventory_assignments_group_idx
        ON public.inventory_assignments (tenant_id, group_id) WHERE group_id IS NOT NULL`);
    await queryRunner.query(`
      CREATE INDEX inventory_assignments_filter_idx
        ON public.inventory_assignments (tenant_id, filter_id) WHERE filter_id IS NOT NULL`);
    await queryRunner.query(
      `COMMENT ON TABLE public.inventory_assignments IS 'last observed assignments of each inventory item; current ones carry the item''s assignments_observation_id'`,
    );

    await queryRunner.query(`
      CREATE TABLE public.directory_groups (
        tenant_id uuid NOT NULL REFERENCES public.tenants (id),
        group_id text NOT NULL,
        display_name text NOT NULL,
        observed_at timestamptz NOT NULL,
        CONSTRAINT directory_groups_pkey PRIMARY KEY (tenant_id, group_id)
      )`);
    await queryRunner.query(
      `COMMENT ON TABLE public.directory_groups IS 'last observed display names of Entra groups referenced by assignments'`,
    );

    for (const table of ['inventory_assignments', 'directory_groups']) {
      await queryRunner.query(`ALTER TABLE public.${table} ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`ALTER TABLE public.${table} FORCE ROW LEVEL SECURITY`);
      await queryRunner.query(`
        CREATE POLICY ${table}_tenant_isolation ON public.${table}
          USING (tenant_id = public.inventory_current_tenant())
          WITH CHECK (tenant_id = public.inventory_current_tenant())`);
      await queryRunner.query(`REVOKE ALL ON public.${table} FROM PUBLIC`);
      // No DELETE: edges and names are last observed, never removed (header).
      await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON public.${table} TO inventory_runtime`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE public.directory_groups`);
    await queryRunner.query(`DROP TABLE public.inventory_assignments`);
    await queryRunner.query(`
      ALTER TABLE public.inventory_items
        DROP CONSTRAINT inventory_items_assignments_observed_together,
        DROP COLUMN assignments_observation_id,
        DROP COLUMN assignments_observed_at,
        DROP COLUMN assignments_run_id`);
  }
}
