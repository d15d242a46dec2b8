import { type Command } from 'commander';
import { canonicalSelectionJson } from '../../inventory/selection';
import { selectionHash } from '../../inventory/selection-hash';
import { printJson, printLine } from '../output';
import { addSelectionOptions, selectionFromFlags, type SelectionFlags } from '../selection-options';

/**
 * Registers `inventory selection-hash`: a selection's hash, computed offline; `invalid_selection`
 * for a bad one.
 */
export function registerSelectionHash(program: Command): void {
  addSelectionOptions(
    program
      .command('selection-hash')
      .description('print the selection hash (the key of the workflow ID and of run history)'),
  )
    .option('--json', 'print {"selection_payload", "selection_hash"}')
    .action((flags: SelectionFlags & { json?: boolean }) => {
      const selection = selectionFromFlags(flags);
      const hash = selectionHash(selection);
      if (flags.json) {
        printJson({
          selection_payload: JSON.parse(canonicalSelectionJson(selection)) as unknown,
          selection_hash: hash,
        });
      } else {
        printLine(hash);
      }
    });
}
