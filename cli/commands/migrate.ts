/** `inventory migrate`: applies pending migrations (or reverts the last one) as the owning role. */
import { Option, type Command } from 'commander';
import { ConfigError, parseEnv } from '../../config/env';
import { databaseEnv, migrationEnv } from '../../config/fragments';
import { revertLastMigration, runMigrations } from '../../db/migrate';
import { ensureRuntimeLogin } from '../../db/provision';
import { textFlag } from '../flags';
import { printJson, printLine } from '../output';

/** The owner's URL and the variable it came from, which a connection failure names. */
function migrationUrl(): { url: string; setting: string } {
  const env = parseEnv(databaseEnv);
  if (env.DATABASE_MIGRATION_URL)
    return { url: env.DATABASE_MIGRATION_URL, setting: 'DATABASE_MIGRATION_URL' };
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, setting: 'DATABASE_URL' };
  throw new ConfigError(
    'DATABASE_URL is required (or DATABASE_MIGRATION_URL, the owning role used for migrations)',
  );
}

/** The runtime login's password comes from the environment, never from a flag (shell history). */
function runtimeLoginPassword(): string {
  const { INVENTORY_RUNTIME_DB_PASSWORD: password } = parseEnv(migrationEnv);
  if (!password) throw new ConfigError('INVENTORY_RUNTIME_DB_PASSWORD is required with --ensure-login');
  return password;
}

/**
 * Registers `inventory migrate [--revert] [--ensure-login <user>]`; `config_invalid` without a database
 * URL (or, with --ensure-login, without INVENTORY_RUNTIME_DB_PASSWORD), `db_error` when a step fails.
 */
export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (DATABASE_MIGRATION_URL, else DATABASE_URL)')
    // Reverting and then granting a login to what the revert may have dropped go nowhere together.
    .addOption(
      new Option('--revert', 'revert the most recently applied migration instead').conflicts('ensureLogin'),
    )
    .option(
      '--ensure-login <user>',
      'then create or update this login role as a member of inventory_runtime (password: INVENTORY_RUNTIME_DB_PASSWORD)',
      textFlag('--ensure-login'),
    )
    .option('--json', 'machine-readable output')
    .action(async (flags: { revert?: boolean; ensureLogin?: string; json?: boolean }) => {
      const { url, setting } = migrationUrl();
      // Checked before anything changes, so a missing password does not follow applied migrations.
      const loginPassword = flags.ensureLogin ? runtimeLoginPassword() : undefined;
      if (flags.revert) {
        const reverted = await revertLastMigration(url, setting);
        if (flags.json) printJson({ reverted });
        else printLine(reverted ? `reverted ${reverted}` : 'no migration is applied; nothing to revert');
        return;
      }
      const applied = await runMigrations(url, setting);
      if (flags.ensureLogin && loginPassword)
        await ensureRuntimeLogin(url, { user: flags.ensureLogin, password: loginPassword });
      if (flags.json) printJson({ applied, ...(flags.ensureLogin && { runtimeLogin: flags.ensureLogin }) });
      else {
        if (applied.length === 0) printLine('the database is up to date');
        for (const name of applied) printLine(`applied ${name}`);
        if (flags.ensureLogin) printLine(`login ${flags.ensureLogin} is a member of inventory_runtime`);
      }
    });
}
