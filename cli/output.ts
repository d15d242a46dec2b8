/**
 * How the CLI talks to people and scripts: human text on stdout by default, one JSON document
 * with --json, and expected failures as one line on stderr with the stable code, followed by a
 * hint line (except for configuration errors, which are one line only).
 *
 * Every human line goes through terminalText here, not at the call sites: a command passes names,
 * ids and messages as they are and cannot forget to escape them. JSON output is escaped by JSON.
 */
import { InventoryError, isErrorCode, ERROR_CODES, type ErrorCode } from '../inventory/error-codes';
import { redactText } from '../inventory/redact';
import { terminalText } from './terminal-text';

export interface OutputOptions {
  json?: boolean;
}

/** Writes `value` to stdout as one JSON document, indented by 2, and a newline. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Writes one line to stdout (an empty line by default), through terminalText: control characters,
 * escape sequences and bidi controls anywhere in it are shown as escapes, line breaks included.
 */
export function printLine(line = ''): void {
  process.stdout.write(`${terminalText(line)}\n`);
}

/**
 * Left-aligned columns; the header is the object keys of the first row. Cells go through
 * terminalText before the widths are measured, so each row is one line and columns stay aligned.
 */
export function printTable(rows: ReadonlyArray<Record<string, string | number | boolean | null>>): void {
  if (rows.length === 0) return;
  const headers = Object.keys(rows[0]!);
  const cells = rows.map((row) => headers.map((h) => terminalText(String(row[h] ?? ''))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const format = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${format(headers)}\n`);
  for (const row of cells) process.stdout.write(`${format(row)}\n`);
}

/**
 * Failures whose message already says what to do, so the generic hint would only add a second
 * line to what should be one: a bad setting (the message names the variable and the problem) and
 * a development command run from a production build.
 */
const WITHOUT_HINT: ReadonlySet<ErrorCode> = new Set(['config_invalid', 'dev_command_unavailable']);

/**
 * Codes that mean the command was asked for something it will not do as given (exit code 2): a
 * malformed argument, an invalid selection, or a schedule id that is not a sync schedule's.
 */
const BAD_INPUT: ReadonlySet<ErrorCode> = new Set([
  'invalid_input',
  'invalid_selection',
  'schedule_protected',
]);

/**
 * Prints a failure and returns the process exit code. Stack traces only with INVENTORY_DEBUG=1.
 * The human form shows the message through terminalText (messages echo input); --json prints it
 * exactly, JSON-escaped.
 */
export function reportFailure(error: unknown, options: OutputOptions = {}): number {
  const known = error instanceof InventoryError || (isCodedError(error) && isErrorCode(error.code));
  const code = known ? (error as { code: keyof typeof ERROR_CODES }).code : 'internal_error';
  const message = redactText(error instanceof Error ? error.message : String(error));
  const hint = ERROR_CODES[code].hint;
  if (options.json) {
    process.stderr.write(`${JSON.stringify({ error: { code, message, hint } })}\n`);
  } else {
    const hintLine = WITHOUT_HINT.has(code) ? '' : `  hint: ${hint}\n`;
    process.stderr.write(`error [${code}]: ${terminalText(message)}\n${hintLine}`);
  }
  if (process.env.INVENTORY_DEBUG === '1' && error instanceof Error && error.stack) {
    const stack = redactText(error.stack).split('\n').map(terminalText);
    process.stderr.write(`${stack.join('\n')}\n`);
  }
  return BAD_INPUT.has(code) ? 2 : 1;
}

function isCodedError(error: unknown): error is { code: string } {
  return (
    typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
  );
}
