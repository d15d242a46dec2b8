/** `inventory migrate`: applies pending migrations (or reverts the last one) as the owning role. */
import { type Command } from 'commander';
import { ConfigError, parseEnv } from '../../config/env';
import { databaseEnv } from '../../config/fragments';
import { revertLastMigration, runMigrations } from '../../db/migrate';
import { printJson, printLine } from '../output';

function migrationUrl(): string {
  const env = parseEnv(databaseEnv);
  const url = env.DATABASE_MIGRATION_URL ?? env.DATABASE_URL;
  if (!url) {
    throw new ConfigError(
      'DATABASE_URL is required (or DATABASE_MIGRATION_URL, the owning role used for migrations)',
    );
  }
  return url;
}

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (DATABASE_MIGRATION_URL, else DATABASE_URL)')
    .option('--revert', 'revert the most recently applied migration instead')
    .option('--json', 'machine-readable output')
    .action(async (flags: { revert?: boolean; json?: boolean }) => {
      const url = migrationUrl();
      if (flags.revert) {
        const reverted = await revertLastMigration(url);
        if (flags.json) printJson({ reverted });
        else printLine(reverted ? `reverted ${reverted}` : 'no migration is applied; nothing to revert');
        return;
      }
      const applied = await runMigrations(url);
      if (flags.json) printJson({ applied });
      else if (applied.length === 0) printLine('the database is up to date');
      else for (const name of applied) printLine(`applied ${name}`);
    });
}
