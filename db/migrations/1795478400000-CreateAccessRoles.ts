/**
 * Why: tenant isolation is enforced by PostgreSQL, not by application discipline. The runtime
 * connects as a login role that is a member of `inventory_runtime`, which holds exactly the
 * privileges the service needs; `inventory_run_monitor` owns the one function allowed to read live
 * runs across tenants. `inventory_current_tenant()` is what every row-level security policy
 * compares `tenant_id` with: the transaction-local `app.tenant_id`, or NULL (matching nothing)
 * when unset. `current_setting` returns '' once a transaction-local value has ended, hence NULLIF.
 * The function is STABLE SQL without SET clauses so the planner inlines it into index conditions.
 */
import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { createGroupRoleIfAbsent, dropRoleIfUnused } from './role-sql';

export class CreateAccessRoles1795478400000 implements MigrationInterface {
  name = 'CreateAccessRoles1795478400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(createGroupRoleIfAbsent('inventory_runtime'));
    await queryRunner.query(createGroupRoleIfAbsent('inventory_run_monitor'));
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO inventory_runtime, inventory_run_monitor`);
    await queryRunner.query(`
      CREATE FUNCTION public.inventory_current_tenant() RETURNS uuid
      LANGUAGE sql STABLE PARALLEL SAFE
      AS $$ SELECT NULLIF(pg_catalog.current_setting('app.tenant_id', true), '')::uuid $$`);
    await queryRunner.query(
      `COMMENT ON FUNCTION public.inventory_current_tenant() IS 'tenant of the current transaction (app.tenant_id), NULL when unscoped; used by row-level security policies'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION public.inventory_current_tenant()`);
    await queryRunner.query(`REVOKE USAGE ON SCHEMA public FROM inventory_runtime, inventory_run_monitor`);
    await queryRunner.query(dropRoleIfUnused('inventory_run_monitor'));
    await queryRunner.query(dropRoleIfUnused('inventory_runtime'));
  }
}
