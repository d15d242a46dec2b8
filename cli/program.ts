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

/** `--format json` or `--format ndjson` (`inventory items`), given as two tokens or as one with `=`. */
const JSON_FORMAT = /^--format(?: |=)(?:nd)?json(?: |$)/;

/**
 * Whether the user's `args` ask for JSON output: a `--json` token (or `--format json|ndjson`) that
 * is an option, not the value of the option before it (`tenant add --name --json` names a tenant
 * "--json") nor an operand after `--`. Read from the tokens rather than from parsed options
 * because a usage error stops commander before it has parsed them, and that error must still be
 * JSON when asked for.
 */
export function wantsJson(program: Command, args: readonly string[]): boolean {
  let command = program;
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (token === '--') return false;
    if (token === '--json' || JSON_FORMAT.test(`${token} ${args[i + 1] ?? ''}`)) return true;
    if (token.startsWith('-')) {
      const option = [command, ...ancestors(command)]
        .flatMap((c) => c.options)
        .find((o) => o.long === token || o.short === token);
      if (option && (option.required || option.optional)) i += 1;
      continue;
    }
    const sub = command.commands.find((c) => c.name() === token || c.aliases().includes(token));
    if (sub) command = sub;
  }
  return false;
}

function ancestors(command: Command): Command[] {
  const parents: Command[] = [];
  for (let parent = command.parent; parent; parent = parent.parent) parents.push(parent);
  return parents;
}
