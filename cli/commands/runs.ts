import { type Command } from 'commander';
import { type SyncRun } from '../../client';
import { printJson, printLine, printTable } from '../output';
import { addSelectionOptions, selectionFromFlags, type SelectionFlags } from '../selection-options';
import { withClient } from '../with-client';
import { cursorFlag, limitFlag } from '../flags';
import { parseTenantId } from '../../inventory/tenant-id';

function runRow(run: SyncRun) {
  return {
    run_id: run.id,
    status: run.status,
    had_errors: run.hadErrors,
    started_at: run.startedAt.toISOString(),
    finished_at: run.finishedAt?.toISOString() ?? '',
    items_observed_count: run.itemsObservedCount,
    items_upserted_count: run.itemsUpsertedCount,
    items_new_count: run.itemsNewCount,
    items_changed_count: run.itemsChangedCount,
    items_unchanged_count: run.itemsUnchangedCount,
    error_codes: run.errorCodes.join(','),
    warning_codes: run.warningCodes.join(','),
    selection_hash: run.selectionHash.slice(0, 12),
  };
}

/**
 * Registers `inventory runs --tenant <id>`: one page of the tenant's runs, newest first, optionally
 * of one selection.
 */
export function registerRuns(program: Command): void {
  addSelectionOptions(
    program
      .command('runs')
      .description('list sync runs of a tenant, newest first (optionally of one selection)')
      .requiredOption('--tenant <id>', 'Entra tenant id', parseTenantId),
  )
    .option('--limit <n>', 'how many runs (1 to 1000)', limitFlag, 20)
    .option('--cursor <cursor>', 'continue after a previous page', cursorFlag)
    .option('--json', 'machine-readable output')
    .action(
      async (flags: SelectionFlags & { tenant: string; limit: number; cursor?: string; json?: boolean }) => {
        const selection =
          flags.types !== undefined || flags.categories !== undefined ? selectionFromFlags(flags) : undefined;
        const page = await withClient((c) =>
          c.listRuns(flags.tenant, {
            limit: flags.limit,
            ...(selection && { selection }),
            ...(flags.cursor !== undefined && { cursor: flags.cursor }),
          }),
        );
        if (flags.json) {
          printJson(page);
          return;
        }
        if (page.runs.length === 0) printLine('no runs yet');
        else printTable(page.runs.map(runRow));
        if (page.nextCursor) printLine(`more: --cursor ${page.nextCursor}`);
      },
    );
}
