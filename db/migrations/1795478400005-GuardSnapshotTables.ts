/**
 * Why: the snapshot/backup module's tables (`policy_versions`, `backup_sets`, `backup_items`)
 * share this database, and this service must never write them. The guardrail is PostgreSQL's:
 * `inventory_runtime` and PUBLIC hold no privilege on them, whatever was granted before. The
 * tables are created here only if absent (minimal columns), so the guard exists even before that
 * module migrates; tables created here carry a comment naming this migration, and `down()` drops
 * only tables carrying it, never the other module's.
 */
import { type MigrationInterface, type QueryRunner } from 'typeorm';

const MARKER = 'created by inventory-sync migration GuardSnapshotTables1795478400005';

// In dependency order: backup_items references the other two.
const TABLES: ReadonlyArray<readonly [name: string, columns: string]> = [
  [
    'policy_versions',
    `id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     tenant_id uuid NOT NULL,
     policy_type text NOT NULL,
     external_id text NOT NULL,
     version integer NOT NULL,
     content_sha256 char(64) NOT NULL,
     captured_at timestamptz NOT NULL DEFAULT now(),
     UNIQUE (tenant_id, policy_type, external_id, version)`,
  ],
  [
    'backup_sets',
    `id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     tenant_id uuid NOT NULL,
     name text NOT NULL,
     status text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     completed_at timestamptz`,
  ],
  [
    'backup_items',
    `id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     tenant_id uuid NOT NULL,
     backup_set_id uuid NOT NULL REFERENCES public.backup_sets (id) ON DELETE CASCADE,
     policy_version_id uuid NOT NULL REFERENCES public.policy_versions (id),
     created_at timestamptz NOT NULL DEFAULT now()`,
  ],
];

export class GuardSnapshotTables1795478400005 implements MigrationInterface {
  name = 'GuardSnapshotTables1795478400005';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [table, columns] of TABLES) {
      const [existing] = (await queryRunner.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [
        `public.${table}`,
      ])) as Array<{ present: boolean }>;
      await queryRunner.query(`CREATE TABLE IF NOT EXISTS public.${table} (${columns})`);
      if (!existing?.present) {
        await queryRunner.query(`COMMENT ON TABLE public.${table} IS '${MARKER}'`);
      }
      await queryRunner.query(`REVOKE ALL ON public.${table} FROM PUBLIC, inventory_runtime`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table] of [...TABLES].reverse()) {
      const [row] = (await queryRunner.query(
        `SELECT pg_catalog.obj_description(to_regclass($1), 'pg_class') = $2 AS ours`,
        [`public.${table}`, MARKER],
      )) as Array<{ ours: boolean | null }>;
      if (row?.ours) await queryRunner.query(`DROP TABLE public.${table}`);
    }
  }
}
