import { type Command } from 'commander';
import { type SyncRun } from '../../client';
import { type Tone } from '../colors';
import { printJson, printLine, printTable, toned } from '../output';
import { relativeAge } from '../relative-age';
import { addSelectionOptions, selectionFromFlags, type SelectionFlags } from '../selection-options';
import { withClient } from '../with-client';
import { cursorFlag, limitFlag } from '../flags';
import { parseTenantId } from '../../inventory/tenant-id';

const STATUS_TONE: Partial<Record<SyncRun['status'], Tone>> = {
  success: 'good',
  partial: 'warn',
  failed: 'bad',
  skipped: 'dim',
};

/** A run as a row of the human table: times as ages ("3 h ago"); --json keeps the instants. */
function runRow(run: SyncRun, now: Date) {
  const tone = STATUS_TONE[run.status];
  return {
    run_id: run.id,
    status: tone ? toned(run.status, tone) : run.status,
    had_errors: run.hadErrors,
    started: relativeAge(run.startedAt, now),
    finished: run.finishedAt ? relativeAge(run.finishedAt, now) : '',
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
        else {
          const now = new Date();
          printTable(page.runs.map((run) => runRow(run, now)));
        }
        if (page.nextCursor) printLine(`more: --cursor ${page.nextCursor}`);
      },
    );
}
