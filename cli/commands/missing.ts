import { type Command } from 'commander';
import { printJson, printLine, printTable } from '../output';
import { addSelectionOptions, selectionFromFlags, type SelectionFlags } from '../selection-options';
import { withClient } from '../with-client';

/**
 * Registers `inventory missing --tenant <id>`: one page of a selection's missing items (`--limit`,
 * `--cursor`).
 */
export function registerMissing(program: Command): void {
  addSelectionOptions(
    program
      .command('missing')
      .description(
        "items of a selection not seen since its latest completed run began (derived; never 'deleted')",
      )
      .requiredOption('--tenant <id>', 'Entra tenant id'),
  )
    .option('--limit <n>', 'page size', '100')
    .option('--cursor <cursor>', 'continue after a previous page')
    .option('--json', 'machine-readable output')
    .action(
      async (flags: SelectionFlags & { tenant: string; limit: string; cursor?: string; json?: boolean }) => {
        const selection = selectionFromFlags(flags);
        const result = await withClient((c) =>
          c.listMissing(flags.tenant, selection, {
            limit: Number(flags.limit),
            ...(flags.cursor && { cursor: flags.cursor }),
          }),
        );
        if (flags.json) {
          printJson(result);
          return;
        }
        if (result.basis === null) {
          printLine('no completed run of this selection yet: nothing can be called missing');
          return;
        }
        printLine(
          `basis: run ${result.basis.runId} (${result.basis.status}${result.basis.hadErrors ? ', had errors' : ''}) ` +
            `started ${result.basis.startedAt.toISOString()}; confidence ${result.confidence}`,
        );
        if (result.items.length === 0) printLine('nothing missing');
        else
          printTable(
            result.items.map((item) => ({
              policy_type: item.policyType,
              external_id: item.externalId,
              display_name: item.displayName,
              last_seen_at: item.lastSeenAt.toISOString(),
            })),
          );
        if (result.nextCursor) printLine(`more: --cursor ${result.nextCursor}`);
      },
    );
}
