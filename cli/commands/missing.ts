import { type Command } from 'commander';
import { printJson, printLine, printTable } from '../output';
import { addSelectionOptions, selectionFromFlags, type SelectionFlags } from '../selection-options';
import { withClient } from '../with-client';
import { cursorFlag, limitFlag } from '../flags';
import { parseTenantId } from '../../inventory/tenant-id';

/**
 * Registers `inventory missing --tenant <id>`: one page of a selection's missing items (`--limit`,
 * `--cursor`). Only items whose type the basis run enumerated completely, unless
 * `--include-unverified`; the human form says how many it left out and how to see them, and the
 * JSON form lists the same items (each with `typeComplete`) and `omittedUnverifiedCount`.
 */
export function registerMissing(program: Command): void {
  addSelectionOptions(
    program
      .command('missing')
      .description(
        "items of a selection not seen since its latest completed run began (derived; never 'deleted')",
      )
      .requiredOption('--tenant <id>', 'Entra tenant id', parseTenantId),
  )
    .option('--limit <n>', 'page size (1 to 1000)', limitFlag, 100)
    .option('--cursor <cursor>', 'continue after a previous page', cursorFlag)
    .option(
      '--include-unverified',
      'also list items of types the basis run did not enumerate completely (they may only not have been asked for)',
    )
    .option('--json', 'machine-readable output')
    .action(
      async (
        flags: SelectionFlags & {
          tenant: string;
          limit: number;
          cursor?: string;
          includeUnverified?: boolean;
          json?: boolean;
        },
      ) => {
        const selection = selectionFromFlags(flags);
        const result = await withClient((c) =>
          c.listMissing(flags.tenant, selection, {
            limit: flags.limit,
            includeUnverified: flags.includeUnverified === true,
            ...(flags.cursor !== undefined && { cursor: flags.cursor }),
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
        if (result.unverifiedTypes.length > 0) {
          printLine(
            `not completely enumerated by that run (unverified): ${result.unverifiedTypes.join(', ')}`,
          );
        }
        if (result.items.length === 0) printLine('nothing missing');
        else
          printTable(
            result.items.map((item) => ({
              policy_type: item.policyType,
              external_id: item.externalId,
              display_name: item.displayName,
              last_seen_at: item.lastSeenAt.toISOString(),
              type_complete: item.typeComplete ? 'yes' : 'no (unverified)',
            })),
          );
        if (result.omittedUnverifiedCount > 0) {
          const n = result.omittedUnverifiedCount;
          printLine(
            `${n} missing item${n === 1 ? '' : 's'} of unverified types left out; --include-unverified shows ${n === 1 ? 'it' : 'them'}`,
          );
        }
        if (result.nextCursor) printLine(`more: --cursor ${result.nextCursor}`);
      },
    );
}
