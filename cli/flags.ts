/**
 * How the CLI reads flag values: commander argument parsers over the shared strict parsers
 * (inventory/, db/pagination.ts), so a bad value is refused while the command line is parsed,
 * before anything connects or writes, with the same rule the client applies. Each throws
 * `invalid_input` naming the flag.
 */
import { type Command } from 'commander';
import { parseCursorText, parsePageLimit } from '../db/pagination';
import { parseDurationInput, type DurationRange } from '../inventory/duration';
import { hasControlCharacters } from '../inventory/control-characters';
import { InventoryError } from '../inventory/error-codes';
import { parseWholeNumber, type WholeNumberRange } from '../inventory/whole-number';

/** A whole number in `range`, in plain digits (see parseWholeNumber). */
export function wholeNumberFlag(flag: string, range: WholeNumberRange): (value: string) => number {
  return (value) => parseWholeNumber(flag, value, range);
}

/** A port; `min` is 0 where "any free port" makes sense. */
export function portFlag(flag: string, min: 0 | 1 = 1): (value: string) => number {
  return wholeNumberFlag(flag, { min, max: 65_535 });
}

/** A page size (1 to MAX_PAGE_LIMIT) for `--limit`. */
export function limitFlag(value: string): number {
  return parsePageLimit(value, '--limit');
}

/** A page cursor's form; which list it belongs to is checked when it is decoded. */
export function cursorFlag(value: string): string {
  return parseCursorText(value, '--cursor');
}

/**
 * A duration within `range`, kept as written: the client reads it again with the same parser, and
 * the command echoes it as the user wrote it.
 */
export function durationFlag(flag: string, range: DurationRange): (value: string) => string {
  return (value) => {
    parseDurationInput(flag, value, range);
    return value;
  };
}

/** Longest free-text flag value (a schedule id, a host, a path). */
const MAX_TEXT_FLAG = 1024;

/**
 * Free text that names something (a schedule id, a host, a path, a role): not blank, at most
 * MAX_TEXT_FLAG characters, and without control characters or bidirectional overrides, which no such name holds and which
 * would reach the terminal or the operating system as they are.
 */
export function textFlag(flag: string): (value: string) => string {
  return (value) => {
    if (value.trim().length === 0 || value.length > MAX_TEXT_FLAG || hasControlCharacters(value)) {
      throw new InventoryError(
        'invalid_input',
        `${flag} must be 1 to ${MAX_TEXT_FLAG} characters, not blank, without control characters or bidirectional overrides`,
      );
    }
    return value;
  };
}

/**
 * Makes every flag that takes a value refuse a second occurrence on `command` and its
 * subcommands (commander lets the last one win silently, so `--tenant a --tenant b` would act on
 * b). Call once, after every command and option is declared.
 */
export function refuseRepeatedFlags(command: Command): void {
  for (const option of command.options) {
    if (!option.required && !option.optional) continue;
    const parse = option.parseArg;
    // Commander calls the parser before it stores the value, so a source of 'cli' means "seen".
    option.argParser((value: string, previous: unknown) => {
      if (command.getOptionValueSource(option.attributeName()) === 'cli') {
        throw new InventoryError(
          'invalid_input',
          `${option.long ?? option.flags} was given more than once; give it once`,
        );
      }
      return parse ? parse(value, previous) : value;
    });
  }
  for (const sub of command.commands) refuseRepeatedFlags(sub);
}
