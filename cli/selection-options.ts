/** The `--types` / `--categories` flags shared by every command that takes a selection. */
import { type Command } from 'commander';
import { parseSelection, type Selection } from '../inventory/selection';

export interface SelectionFlags {
  types?: string;
  categories?: string;
}

/** Adds `--types` and `--categories` to `command` and returns it, for chaining. */
export function addSelectionOptions(command: Command): Command {
  return command
    .option('--types <list>', 'comma-separated policy types (see: inventory policy-types)')
    .option('--categories <list>', 'comma-separated categories (see: inventory policy-types)');
}

function splitList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/**
 * The canonical selection of the comma-separated flags (blank entries dropped); `invalid_selection`
 * when it names an unknown type or category, or nothing.
 */
export function selectionFromFlags(flags: SelectionFlags): Selection {
  return parseSelection({ policy_types: splitList(flags.types), categories: splitList(flags.categories) });
}
