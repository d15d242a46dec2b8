/**
 * The `inventory` CLI. Each command lives in cli/commands/ and talks to the service only through
 * the thin client (client/); this file wires them up and turns failures into exit codes. Every
 * failure, usage errors included, is printed by reportFailure: one line (and a hint) or, with
 * --json, one JSON object on stderr; exit code 2 for bad input, 1 for other failures.
 */
import { Command, CommanderError } from 'commander';
import { reportFailure } from './output';
import { registerCommands } from './commands';
import { refuseRepeatedFlags } from './flags';
import { usageError } from './usage-error';

const args = process.argv.slice(2);

const program = new Command('inventory')
  .description('Inventory Sync: last-observed catalog of Intune policies per tenant')
  .exitOverride()
  // Commander's own error output is replaced by reportFailure's (see usage-error.ts); help asked
  // for with --help still goes to stdout.
  .configureOutput({ outputError: () => undefined, writeErr: () => undefined });

registerCommands(program);
refuseRepeatedFlags(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError && error.exitCode === 0) return; // --help, --version
  const failure = error instanceof CommanderError ? usageError(error, program, args) : error;
  process.exitCode = reportFailure(failure, { json: args.includes('--json') });
});
