/**
 * Why: some things go wrong in a run without costing it anything — Graph refused a policy type's
 * `$select` and the type was read in full without it (`graph_select_rejected`). They must show on
 * the run row, yet not as `error_codes`, which mean failure to every reader (status, `had_errors`,
 * the confidence of "missing" answers). Their own column keeps both meanings apart; existing rows
 * get none. The table's grants cover new columns, so no grant changes.
 */
import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class AddSyncRunWarningCodes1795478400006 implements MigrationInterface {
  name = 'AddSyncRunWarningCodes1795478400006';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE public.inventory_sync_runs ADD COLUMN warning_codes text[] NOT NULL DEFAULT '{}'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE public.inventory_sync_runs DROP COLUMN warning_codes`);
  }
}
