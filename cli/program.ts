/**
 * The `inventory` command tree, apart from the process it runs in, so the entry point (main.ts)
 * and tests parse command lines the same way.
 */
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands';
import { refuseRepeatedFlags } from './flags';
import { usageError } from './usage-error';

/**
 * Every command and flag, with commander's own error output switched off: its usage errors are
 * thrown as CommanderError (exitOverride) and printed by the caller through failureOf and
 * reportFailure, like every other failure. Help asked for with --help still goes to stdout.
 */
export function createProgram(): Command {
  const program = new Command('inventory')
    .description('Inventory Sync: last-observed catalog of Intune policies per tenant')
    .exitOverride()
    .configureOutput({ outputError: () => undefined, writeErr: () => undefined });
  registerCommands(program);
  refuseRepeatedFlags(program);
  return program;
}

/**
 * What to report for `error` thrown by `program.parseAsync` of the user's `args` (argv without
 * node and the script): null for help and version (exit 0), `invalid_input` for a usage error,
 * anything else unchanged.
 */
export function failureOf(error: unknown, program: Command, args: readonly string[]): unknown {
  if (!(error instanceof CommanderError)) return error;
  return error.exitCode === 0 ? null : usageError(error, program, args);
}
