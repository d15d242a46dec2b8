/**
 * Why: runs and items belong to a registered tenant (foreign keys), and a disabled tenant must
 * stop syncing without losing its history. The table is not tenant-scoped by row-level security:
 * registering and listing tenants is an administrative act, and it holds no Intune data.
 */
import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class CreateTenants1795478400001 implements MigrationInterface {
  name = 'CreateTenants1795478400001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE public.tenants (
        id uuid PRIMARY KEY,
        display_name text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `COMMENT ON TABLE public.tenants IS 'Entra tenants registered for inventory sync'`,
    );
    await queryRunner.query(`REVOKE ALL ON public.tenants FROM PUBLIC`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON public.tenants TO inventory_runtime`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE public.tenants`);
  }
}
