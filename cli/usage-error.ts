/**
 * Commander's usage errors (unknown option or command, missing option or argument, conflicting
 * options, a missing subcommand) as the CLI's own `invalid_input`, so they print like every other
 * failure: one line and the hint, or with --json one JSON object, and exit 2.
 */
import { type Command, type CommanderError } from 'commander';
import { boundedEcho } from '../inventory/bounded-echo';
import { InventoryError } from '../inventory/error-codes';

/** The deepest command `args` name, and the names leading to it (`inventory schedule`). */
function namedCommand(program: Command, args: readonly string[]): { command: Command; path: string } {
  let command = program;
  const names = [program.name()];
  for (const arg of args.filter((a) => !a.startsWith('-'))) {
    const sub = command.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (!sub) break;
    command = sub;
    names.push(sub.name());
  }
  return { command, path: names.join(' ') };
}

/** The name after `help` (`inventory help frobnicate`) when no command has it; null otherwise. */
function unknownHelpTopic(program: Command, args: readonly string[]): string | null {
  const names = args.filter((a) => !a.startsWith('-'));
  if (names[0] !== 'help' || names[1] === undefined) return null;
  const known = program.commands.some((c) => c.name() === names[1] || c.aliases().includes(names[1]!));
  return known ? null : names[1];
}

/**
 * The usage error `error` (exit code not 0) as `invalid_input` with commander's message on one
 * line; `args` are the user's arguments, to name the command that is missing a subcommand.
 */
export function usageError(error: CommanderError, program: Command, args: readonly string[]): InventoryError {
  if (error.code === 'commander.help') {
    // Commander shows the help on stderr when a command group is run without a command, and for
    // `help <name>` when no command has that name.
    const unknown = unknownHelpTopic(program, args);
    if (unknown !== null)
      return new InventoryError('invalid_input', `unknown command ${boundedEcho(unknown, { quote: true })}`);
    const { command, path } = namedCommand(program, args);
    const commands = command.commands.map((c) => c.name()).join(', ');
    return new InventoryError('invalid_input', `${path} needs a command: ${commands}`);
  }
  // Commander quotes the offending argument as typed: bounded like any other echo of input.
  const message = error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
  return new InventoryError('invalid_input', boundedEcho(message, { max: 300 }));
}
