/**
 * The `inventory` CLI. Each command lives in cli/commands/ and talks to the service only through
 * the thin client (client/); this file wires them up and turns failures into exit codes.
 */
import { Command, CommanderError } from 'commander';
import { reportFailure } from './output';
import { registerCommands } from './commands';

const program = new Command('inventory')
  .description('Inventory Sync: last-observed catalog of Intune policies per tenant')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    // Commander already printed its one-line message; help and version exit 0, misuse exits 2.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
    return;
  }
  process.exitCode = reportFailure(error, { json: process.argv.includes('--json') });
});
